// `database list|create|delete|schema`: one driver call each, printed as TypeDB's console prints them. Returns
// false (after printing the error) when the command failed, which ends a script.
import type { TypeDBDriver } from 'typedb-driver';
import type { TopLevelCommand } from './commands.js';
import { errorText } from './errors.js';
import type { ConsoleOutput } from './output.js';

export type DatabaseCommand = Extract<TopLevelCommand, { kind: `database-${string}` }>;

export async function runDatabaseCommand(driver: TypeDBDriver, command: DatabaseCommand, out: ConsoleOutput, address: string): Promise<boolean> {
  try {
    switch (command.kind) {
      case 'database-list': {
        // The server's order is unspecified in TypeDB; sorted, so scripts can compare outputs.
        const names = (await driver.databases.all()).map((d) => d.name).sort();
        out.info(names.length === 0 ? 'No databases are present on the server.' : names.join('\n'));
        return true;
      }
      case 'database-create':
        await driver.databases.create(command.database);
        out.info(`Database '${command.database}' created`);
        return true;
      case 'database-delete':
        await (await driver.databases.get(command.database)).delete();
        out.info(`Database '${command.database}' deleted`);
        return true;
      case 'database-schema':
        out.info(await (await driver.databases.get(command.database)).schema());
        return true;
    }
  } catch (e) {
    out.error(errorText(e, address));
    return false;
  }
}
