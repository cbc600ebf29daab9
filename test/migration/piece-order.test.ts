// The two threads of a large export claim pieces in order and place each in the file at its final offset once
// every earlier piece is placed: pieces finished out of order land where they belong, a thread holds at most two
// finished pieces before it waits, and a stop wakes a waiting thread.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { PieceOrder } from '../../src/migration/export/piece-order.js';
import { PieceSink } from '../../src/migration/export/piece-sink.js';

/** An export file in memory: what was placed where. */
class MemoryFile {
  bytes = Buffer.alloc(0);
  place = (buffer: Buffer, length: number, position: number): void => {
    if (position + length > this.bytes.length) this.bytes = Buffer.concat([this.bytes, Buffer.alloc(position + length - this.bytes.length)]);
    buffer.copy(this.bytes, position, 0, length);
  };
}

/** Writes `record` as the export encoder does: part of it first, then room for the rest (reserve), then the rest. */
function emit(sink: PieceSink, record: Buffer): void {
  const first = Math.min(record.length >> 1, sink.buffer.length - sink.position);
  record.copy(sink.buffer, sink.position, 0, first);
  let at = sink.position + first;
  if (at + record.length - first > sink.buffer.length) at -= sink.reserve(first, record.length - first);
  record.copy(sink.buffer, at, first);
  sink.position = at + record.length - first;
}

/** A piece of records of 1..100 bytes (some larger than the sinks' 64-byte buffers), `total` bytes in all. */
function pieceOf(total: number): Buffer[] {
  const records: Buffer[] = [];
  for (let left = total; left > 0; ) {
    const size = Math.min(left, 1 + Math.floor(Math.random() * 100));
    records.push(randomBytes(size));
    left -= size;
  }
  return records;
}

function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  return new Promise((resolve) => setImmediate(() => resolve(done)));
}

test('pieces finished out of order land at their offsets, and a thread holding two waits', async () => {
  const order = PieceOrder.create(4);
  const file = new MemoryFile();
  const wait = (index: number) => order.waitToPlaceAsync(index);
  const a = new PieceSink(order, file.place, wait, 64);
  const b = new PieceSink(order, file.place, wait, 64);
  const pieces = [pieceOf(300), pieceOf(500), pieceOf(200), pieceOf(400)];
  const expected = Buffer.concat(pieces.flat());

  assert.equal(order.claim(), 0);
  a.begin(0);
  assert.equal(order.claim(), 1);
  b.begin(1);
  for (const record of pieces[1]!) emit(b, record);
  assert.equal(await b.end(), true, 'one finished piece held: b may go on');
  assert.equal(b.held, 1);
  assert.equal(order.claim(), 2);
  b.begin(2);
  for (const record of pieces[2]!) emit(b, record);
  const bWaits = b.end();
  assert.equal(b.held, 2);
  assert.equal(await settled(bWaits), false, 'holding two finished pieces, b waits');
  assert.equal(file.bytes.length, 0, 'nothing of pieces 1 and 2 is placed before piece 0');

  // Piece 0's offset is known from the start: its records go straight to the file, buffer by buffer.
  for (const record of pieces[0]!.slice(0, 10)) emit(a, record);
  assert.ok(file.bytes.length > 0 && expected.subarray(0, file.bytes.length).equals(file.bytes), 'piece 0 streams to offset 0');
  for (const record of pieces[0]!.slice(10)) emit(a, record);
  assert.equal(await a.end(), true);
  assert.equal(await bWaits, true, 'b goes on once piece 0 is placed');
  assert.equal(b.held, 0);
  assert.equal(order.placed, 3);
  assert.equal(order.placedBytes, 1000);

  assert.equal(order.claim(), 3);
  a.begin(3);
  for (const record of pieces[3]!) emit(a, record);
  assert.equal(await a.end(), true);
  assert.equal(order.claim(), undefined);
  assert.equal(await a.finish(), true);
  assert.equal(await b.finish(), true);
  assert.equal(order.placed, 4);
  assert.equal(order.placedBytes, expected.length);
  assert.equal(a.placedBytes + b.placedBytes, expected.length);
  assert.ok(file.bytes.equals(expected), 'the file holds the pieces in order');
});

test('any interleaving of two threads writes the pieces in order', async () => {
  for (let trial = 0; trial < 50; trial++) {
    const count = 1 + Math.floor(Math.random() * 12);
    const order = PieceOrder.create(count);
    const file = new MemoryFile();
    const pieces = Array.from({ length: count }, () => pieceOf(Math.floor(Math.random() * 400)));
    let mostHeld = 0;
    const thread = async (sink: PieceSink) => {
      for (let index = order.claim(); index !== undefined; index = order.claim()) {
        sink.begin(index);
        for (const record of pieces[index]!) {
          emit(sink, record);
          // Let the other thread run now and then, at random.
          if (Math.random() < 0.1) await new Promise((resolve) => setImmediate(resolve));
        }
        const ending = sink.end();
        mostHeld = Math.max(mostHeld, sink.held);
        assert.equal(await ending, true);
        assert.ok(sink.held <= 1, 'after end() a thread holds at most one finished piece');
      }
      assert.equal(await sink.finish(), true);
    };
    const wait = (index: number) => order.waitToPlaceAsync(index);
    await Promise.all([thread(new PieceSink(order, file.place, wait, 64)), thread(new PieceSink(order, file.place, wait, 64))]);
    assert.ok(mostHeld <= 2);
    assert.equal(order.placed, count);
    assert.ok(file.bytes.equals(Buffer.concat(pieces.flat())), `trial ${trial}: ${count} pieces in order`);
  }
});

test('a stop wakes a thread waiting to place its pieces, and no piece is claimed or placed after it', async () => {
  const order = PieceOrder.create(3);
  const file = new MemoryFile();
  const sink = new PieceSink(order, file.place, (index) => order.waitToPlaceAsync(index), 64);
  assert.equal(order.claim(), 0);
  assert.equal(order.claim(), 1);
  sink.begin(1);
  emit(sink, randomBytes(100));
  assert.equal(await sink.end(), true);
  const finishing = sink.finish();
  assert.equal(await settled(finishing), false, 'piece 1 waits for piece 0');
  order.stop();
  assert.equal(await finishing, false, 'the stop ends the wait');
  assert.equal(order.claim(), undefined);
  assert.equal(file.bytes.length, 0);
  assert.equal(order.waitToPlace(1), false, 'a blocking wait returns at once once stopped');
});

test('pieces are placed only in order', () => {
  const order = PieceOrder.create(2);
  assert.throws(() => order.markPlaced(1, 10), /piece 1 placed out of order: 0 pieces are placed/);
  order.markPlaced(0, 10);
  assert.equal(order.waitToPlace(1), true, 'a blocking wait returns at once when the piece may be placed');
  const other = new PieceOrder(order.buffer);
  assert.equal(other.placed, 1, 'seen through the shared buffer');
  assert.equal(other.placedBytes, 10);
});
