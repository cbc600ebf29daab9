// The typed model of a .typedb file's items. One model for every format generation: 2.0–2.2 (`grakn_version`),
// 2.3–2.29 and 3.x (`attributes`/`roles`/`players`, `integer`, `datetime_millis`) all read into these shapes.

import type { Value } from '../../common/values.js';

/** A thing's ID exactly as written in the file: opaque, only meaningful inside that file. */
export type ThingId = string;

export interface HeaderItem {
  readonly kind: 'header';
  /** The exporting server's version (`typedb_version`; `grakn_version` in 2.0.x files). */
  readonly typedbVersion: string;
  /** Name of the exported database. */
  readonly originalDatabase: string;
}

export interface EntityItem {
  readonly kind: 'entity';
  readonly id: ThingId;
  /** Unscoped label of the thing's direct type. */
  readonly label: string;
  /** IDs of the attributes this thing owns, one per ownership (repeats allowed). */
  readonly ownerships: readonly ThingId[];
}

export interface AttributeItem {
  readonly kind: 'attribute';
  readonly id: ThingId;
  readonly label: string;
  /** Attributes owning attributes is 2.x-only; 3.x files always leave this empty. */
  readonly ownerships: readonly ThingId[];
  readonly value: Value;
}

export interface RolePlayers {
  /** Scoped role label `relation-type:role` (a bare role name is accepted by 2.x importers). */
  readonly label: string;
  /** One entry per role-player edge; the same ID may repeat. */
  readonly players: readonly ThingId[];
}

export interface RelationItem {
  readonly kind: 'relation';
  readonly id: ThingId;
  readonly label: string;
  readonly ownerships: readonly ThingId[];
  readonly roles: readonly RolePlayers[];
}

/** The five plain counts of §4.7 (no content hashing). */
export interface Checksums {
  readonly entities: number;
  readonly attributes: number;
  readonly relations: number;
  /** Number of `Player` entries over all relations. */
  readonly roles: number;
  /** Number of `OwnedAttribute` entries over all items, attributes included. */
  readonly ownerships: number;
}

export interface ChecksumsItem {
  readonly kind: 'checksums';
  readonly checksums: Checksums;
}

/** The things of a file: what an exporter writes between header and checksums. */
export type DataItem = EntityItem | AttributeItem | RelationItem;

export type Item = HeaderItem | DataItem | ChecksumsItem;

export type ItemKind = Item['kind'];

/** One decoded record and the byte offset of its length prefix in the input. */
export interface ItemRecord {
  readonly item: Item;
  readonly offset: number;
}
