// commit, rollback and close inside a transaction, as the REPL and scripts both run them, with TypeDB's words.
import type { OpenTransaction } from './connection.js';
import type { ConsoleOutput } from './output.js';

export type EndingCommand = 'commit' | 'rollback' | 'close';

/** Runs the command and says what it did; true when the transaction has ended (commit, close). */
export async function runEndingCommand(open: OpenTransaction, command: EndingCommand, out: ConsoleOutput): Promise<boolean> {
  switch (command) {
    case 'commit':
      await open.commit();
      out.info('Transaction changes committed');
      return true;
    case 'rollback':
      await open.tx.rollback();
      out.info('Transaction changes have rolled back, i.e. erased, and not committed.');
      return false;
    case 'close':
      await open.close();
      out.info(open.isWrite ? 'Transaction closed without committing changes' : 'Transaction closed');
      return true;
  }
}
