// Planner counts for matching over a view with inferred facts.
import type { SchemaType } from '../schema/api.js';
import type { ThingReader } from '../concept/things.js';
import { InstanceStatistics } from '../concept/statistics.js';

/**
 * The database's planner counts, always taken over the stored data: counts cached for the whole database must not
 * include one transaction's inferred facts, and counting the view with inferred facts again for every query or
 * rule body would cost a scan per type. The planner needs magnitudes; a type whose instances are all inferred
 * looks empty to it, which at worst makes it start a match from that type.
 */
export class StoredCounts extends InstanceStatistics {
  constructor(
    private readonly database: InstanceStatistics,
    private readonly stored: ThingReader,
  ) {
    super();
  }

  override count(type: SchemaType): number {
    return this.database.count(type, this.stored);
  }

  override ownersPerAttribute(type: SchemaType): number {
    return this.database.ownersPerAttribute(type, this.stored);
  }

  override edgesPerPlayer(type: SchemaType): number {
    return this.database.edgesPerPlayer(type, this.stored);
  }

  override edgesPerPlayerInRole(type: SchemaType, role: SchemaType): number {
    return this.database.edgesPerPlayerInRole(type, role, this.stored);
  }
}
