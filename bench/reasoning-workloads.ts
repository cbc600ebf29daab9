// Larger rule workloads for the reasoning benchmark: an access-management model in the style of TypeDB's IAM
// example (transitive group, collection and operation-set memberships, and permissions inherited through all three),
// and the transitive closure of a tree of a few thousand nodes. Each is materialised in a fresh read transaction;
// times are wall-clock and CPU (the process's user+system time), best of `repeats`.
import type { DatabaseManagerApi, Session } from '../src/database/index.js';
import { consume, load } from './workload.js';

const IAM_SCHEMA = `define
  id sub attribute, abstract, value string;
  name sub id;
  path sub id;
  subject sub entity, abstract, owns name, plays group-membership:group-member, plays permission:permitted-subject;
  user sub subject;
  user-group sub subject, plays group-membership:user-group;
  object sub entity, abstract, owns path, plays collection-membership:collection-member, plays access:accessed-object;
  file sub object;
  directory sub object, plays collection-membership:resource-collection;
  action sub entity, abstract, owns name, plays set-membership:set-member, plays access:valid-action;
  operation sub action;
  operation-set sub action, plays set-membership:operation-set;
  membership sub relation, abstract, relates parent, relates member;
  group-membership sub membership, relates user-group as parent, relates group-member as member;
  collection-membership sub membership, relates resource-collection as parent, relates collection-member as member;
  set-membership sub membership, relates operation-set as parent, relates set-member as member;
  access sub relation, relates accessed-object, relates valid-action, plays permission:permitted-access;
  permission sub relation, relates permitted-subject, relates permitted-access;
  rule transitive-group-membership: when {
    (user-group: $g1, group-member: $g2) isa group-membership; (user-group: $g2, group-member: $s) isa group-membership;
  } then { (user-group: $g1, group-member: $s) isa group-membership; };
  rule transitive-collection-membership: when {
    (resource-collection: $c1, collection-member: $c2) isa collection-membership;
    (resource-collection: $c2, collection-member: $o) isa collection-membership;
  } then { (resource-collection: $c1, collection-member: $o) isa collection-membership; };
  rule transitive-set-membership: when {
    (operation-set: $s1, set-member: $s2) isa set-membership; (operation-set: $s2, set-member: $a) isa set-membership;
  } then { (operation-set: $s1, set-member: $a) isa set-membership; };
  rule permission-inheritance: when {
    $s isa subject;
    $ac (accessed-object: $o, valid-action: $a) isa access;
    $ac2 (accessed-object: $o2, valid-action: $a2) isa access;
    (permitted-subject: $s2, permitted-access: $ac2) isa permission;
    { (user-group: $s2, group-member: $s) isa group-membership; } or { $s2 is $s; };
    { (resource-collection: $o2, collection-member: $o) isa collection-membership; } or { $o2 is $o; };
    { (operation-set: $a2, set-member: $a) isa set-membership; } or { $a2 is $a; };
  } then { (permitted-subject: $s, permitted-access: $ac) isa permission; };`;

/** Defines `text` in the database in one committed schema write transaction. */
export function define(manager: DatabaseManagerApi, db: string, text: string): void {
  const schema = manager.session(db, 'schema');
  const tx = schema.transaction('write');
  tx.query(text);
  tx.commit();
  schema.close();
}

/** CPU time of the process (user + system) in milliseconds. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** Runs the query in `repeats` fresh inferring read transactions; the best wall and CPU times, and the answers. */
function measure(data: Session, query: string, repeats: number): { answers: number; ms: number; cpuMs: number; runs: string } {
  let best = Infinity;
  let bestCpu = Infinity;
  let answers = 0;
  const runs: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const tx = data.transaction('read', { infer: true });
    const c0 = cpuMs();
    const t0 = process.hrtime.bigint();
    const result = tx.query(query);
    answers = result.kind === 'aggregate' ? Number(result.value?.value ?? 0) : consume(result);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    bestCpu = Math.min(bestCpu, cpuMs() - c0);
    tx.close();
    best = Math.min(best, ms);
    runs.push(Math.round(ms));
  }
  return { answers, ms: Math.round(best), cpuMs: Math.round(bestCpu), runs: runs.join(' ') };
}

/**
 * Users in a tree of groups (fan-out 4), files in a tree of directories (fan-out 4), operations in two levels of
 * operation sets; each group is granted one access on one directory, and inherits it down to every member, file and
 * operation. `users` sets the size; the other counts follow from it.
 */
export function iamWorkload(manager: DatabaseManagerApi, users: number, repeats: number): Record<string, unknown> {
  loadIam(manager, users);
  const data = manager.session('iam', 'data');
  const all = measure(data, 'match $p isa permission; get $p; count;', repeats);
  const one = measure(data, 'match $u isa user, has name "u7"; (permitted-subject: $u, permitted-access: $ac) isa permission; get $ac;', repeats);
  data.close();
  return {
    iamUsers: users,
    iamPermissions: all.answers,
    iamMaterialiseMs: all.ms,
    iamMaterialiseCpuMs: all.cpuMs,
    iamMaterialiseRunsMs: all.runs,
    iamOneUserAnswers: one.answers,
    iamOneUserMs: one.ms,
    iamOneUserCpuMs: one.cpuMs,
  };
}

/** A workload's database (loaded), the query that materialises all its rules, and counts of what they infer. */
export interface LoadedWorkload {
  readonly db: string;
  readonly query: string;
  readonly counts: readonly string[];
}

/** Creates and loads the IAM database (see iamWorkload). */
export function loadIam(manager: DatabaseManagerApi, users: number): LoadedWorkload {
  manager.create('iam');
  define(manager, 'iam', IAM_SCHEMA);
  const data = manager.session('iam', 'data');
  const groups = Math.max(4, Math.round(users / 20));
  const directories = Math.max(4, Math.round(users / 20));
  const files = users;
  const operations = 8;
  load(data, groups, 500, (i) => `insert $g isa user-group, has name "g${i}";`);
  load(data, users, 500, (i) => `insert $u isa user, has name "u${i}";`);
  load(data, directories, 500, (i) => `insert $d isa directory, has path "/d${i}";`);
  load(data, files, 500, (i) => `insert $f isa file, has path "/f${i}";`);
  load(data, operations, 500, (i) => `insert $o isa operation, has name "op${i}";`);
  load(data, 3, 10, (i) => `insert $s isa operation-set, has name "set${i}";`);
  const member = (parentType: string, parentKey: string, parent: string, childType: string, childKey: string, child: string, relation: string, roles: [string, string]) =>
    `match $p isa ${parentType}, has ${parentKey} "${parent}"; $c isa ${childType}, has ${childKey} "${child}";
     insert (${roles[0]}: $p, ${roles[1]}: $c) isa ${relation};`;
  const group = (p: number, c: string, type: string) => member('user-group', 'name', `g${p}`, type, 'name', c, 'group-membership', ['user-group', 'group-member']);
  load(data, groups - 1, 500, (j) => group(Math.floor(j / 4), `g${j + 1}`, 'user-group'));
  load(data, users, 500, (i) => group(i % groups, `u${i}`, 'user'));
  const collection = (p: number, c: string, type: string) =>
    member('directory', 'path', `/d${p}`, type, 'path', c, 'collection-membership', ['resource-collection', 'collection-member']);
  load(data, directories - 1, 500, (j) => collection(Math.floor(j / 4), `/d${j + 1}`, 'directory'));
  load(data, files, 500, (i) => collection(i % directories, `/f${i}`, 'file'));
  const set = (p: string, c: string, type: string) => member('operation-set', 'name', p, type, 'name', c, 'set-membership', ['operation-set', 'set-member']);
  load(data, 2, 10, (i) => set('set0', `set${i + 1}`, 'operation-set'));
  load(data, operations, 10, (i) => set(`set${1 + (i % 2)}`, `op${i}`, 'operation'));
  // Every object has an access for each operation and each operation set.
  const actions = [...Array.from({ length: operations }, (_, i) => `op${i}`), 'set0', 'set1', 'set2'];
  const objects = [...Array.from({ length: directories }, (_, i) => ['directory', `/d${i}`]), ...Array.from({ length: files }, (_, i) => ['file', `/f${i}`])];
  load(data, objects.length * actions.length, 500, (n) => {
    const [type, path] = objects[Math.floor(n / actions.length)]!;
    return `match $o isa ${type}, has path "${path}"; $a isa action, has name "${actions[n % actions.length]}";
            insert (accessed-object: $o, valid-action: $a) isa access;`;
  });
  // Each group but the root is granted one operation or operation set on one directory but the root: a group high in
  // its tree on a directory high in its tree grants many permissions, most grant a few.
  load(data, groups - 1, 200, (j) => {
    const i = j + 1;
    const a = i % 3 === 0 ? `set${1 + (i % 2)}` : `op${i % operations}`;
    return `match $g isa user-group, has name "g${i}"; $d isa directory, has path "/d${1 + ((i * 7) % (directories - 1))}";
            $a isa action, has name "${a}"; $ac (accessed-object: $d, valid-action: $a) isa access;
            insert (permitted-subject: $g, permitted-access: $ac) isa permission;`;
  });
  data.close();
  const counts = ['permission', 'group-membership', 'collection-membership', 'set-membership'].map((t) => `match $r isa ${t}; get; count;`);
  return { db: 'iam', query: 'match $p isa permission; get $p; count;', counts };
}

/** The transitive closure of a tree of `nodes` nodes with fan-out 4: each node reaches its ancestors. */
export function treeClosure(manager: DatabaseManagerApi, nodes: number, repeats: number): Record<string, unknown> {
  loadTree(manager, nodes);
  const data = manager.session('tree', 'data');
  const all = measure(data, 'match (from: $x, to: $y) isa reach; get; count;', repeats);
  const one = measure(data, `match $x isa node, has idx ${nodes - 1}; (from: $x, to: $y) isa reach; get $y;`, repeats);
  data.close();
  return {
    treeNodes: nodes,
    treeInferredFacts: all.answers,
    treeClosureMs: all.ms,
    treeClosureCpuMs: all.cpuMs,
    treeClosureRunsMs: all.runs,
    treeOneNodeAnswers: one.answers,
    treeOneNodeMs: one.ms,
    treeOneNodeCpuMs: one.cpuMs,
  };
}

/** Creates and loads the tree database (see treeClosure). */
export function loadTree(manager: DatabaseManagerApi, nodes: number): LoadedWorkload {
  manager.create('tree');
  define(
    manager,
    'tree',
    `define
    idx sub attribute, value long;
    node sub entity, owns idx, plays link:from, plays link:to, plays reach:from, plays reach:to;
    link sub relation, relates from, relates to;
    reach sub relation, relates from, relates to;
    rule linked: when { (from: $a, to: $b) isa link; } then { (from: $a, to: $b) isa reach; };
    rule onwards: when { (from: $a, to: $b) isa reach; (from: $b, to: $c) isa reach; } then { (from: $a, to: $c) isa reach; };`,
  );
  const data = manager.session('tree', 'data');
  load(data, nodes, 1000, (i) => `insert $n isa node, has idx ${i};`);
  load(data, nodes - 1, 1000, (j) => `match $a isa node, has idx ${j + 1}; $b isa node, has idx ${Math.floor(j / 4)}; insert (from: $a, to: $b) isa link;`);
  data.close();
  return { db: 'tree', query: 'match $r isa reach; get; count;', counts: ['match $r isa reach; get; count;'] };
}

/** A chain or tree of `link`s and the rules that infer `reach`, its transitive closure. */
export const LINK_SCHEMA = `define
    idx sub attribute, value long;
    node sub entity, owns idx, plays link:from, plays link:to, plays reach:from, plays reach:to;
    link sub relation, relates from, relates to;
    reach sub relation, relates from, relates to;
    rule linked: when { (from: $a, to: $b) isa link; } then { (from: $a, to: $b) isa reach; };
    rule onwards: when { (from: $a, to: $b) isa link; (from: $b, to: $c) isa reach; } then { (from: $a, to: $c) isa reach; };`;
