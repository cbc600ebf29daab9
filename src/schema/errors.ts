// TypeDB 2.x's schema error texts (common/exception/ErrorMessage.java and TypeQL's ErrorMessage.java), one
// constructor per message so that every failure path in the schema layer names the exact TypeDB error it raises.
import { StrataError } from '../common/errors.js';
import type { ValueType } from '../common/values.js';

/** Java's `List.toString()` / `Set.toString()`: `[a, b]`. */
export function javaList(items: Iterable<string>): string {
  return `[${[...items].join(', ')}]`;
}

/** TypeDB prints value types in messages with their Java enum name (`LONG`). */
export function valueTypeName(valueType: ValueType | undefined): string {
  return valueType === undefined ? 'OBJECT' : valueType.toUpperCase();
}

/** Annotations as TypeDB prints a `Set<Annotation>`: `[@key]`. */
export function annotationSet(annotations: { key: boolean; unique: boolean }): string {
  const items: string[] = [];
  if (annotations.key) items.push('@key');
  if (annotations.unique) items.push('@unique');
  return javaList(items);
}

/** A list of nested validation errors as TypeDB formats them inside TYW57–59: `\n- <message>` per error. */
function nested(errors: readonly StrataError[]): string {
  return errors.map((e) => `\n- ${e.message}`).join('');
}

export const TypeRead = {
  invalidTypeCasting: (from: string, to: string) =>
    new StrataError('TYR', 1, `Invalid concept conversion from '${from}' to '${to}'.`),
  typeRootMismatch: (label: string, asRoot: string, actualRoot: string) =>
    new StrataError('TYR', 2, `Attempted to retrieve '${label}' as '${asRoot}', while it is actually a(n) '${actualRoot}'.`),
  typeNotFound: (label: string) => new StrataError('TYR', 3, `The type '${label}' does not exist.`),
  roleTypeNotFound: (role: string, relation: string) =>
    new StrataError('TYR', 4, `There is no role type '${role}' in the relation type '${relation}'`),
  valueTypeMismatch: (label: string, asValueType: ValueType | undefined, actual: ValueType | undefined) =>
    new StrataError('TYR', 7, `Attempted to retrieve '${label}' as AttributeType of ValueType '${valueTypeName(asValueType)}', while it actually has ValueType '${valueTypeName(actual)}'.`),
  roleTypeScopeIsNotRelationType: (role: string, scope: string) =>
    new StrataError('TYR', 9, `The role type '${role}' has scope '${scope}' that is not a relation type.`),
};

export const TypeWrite = {
  rootTypeMutation: () => new StrataError('TYW', 1, 'Root types are immutable.'),
  typeHasSubtypes: (label: string) =>
    new StrataError('TYW', 2, `The type '${label}' has subtypes, and cannot be deleted.`),
  typeHasInstancesSetAbstract: (label: string) =>
    new StrataError('TYW', 3, `The type '${label}' has instances, and cannot be set abstract.`),
  typeHasInstancesDelete: (label: string) =>
    new StrataError('TYW', 4, `The type '${label}' has instances, and cannot be deleted.`),
  typeHasBeenDeleted: (label: string) =>
    new StrataError('TYW', 5, `The type '${label}' has been deleted and cannot be modified any further.`),
  typeReferencedInRules: (label: string, rules: readonly string[]) =>
    new StrataError('TYW', 7, `The type '${label}' is referenced in rules '${javaList(rules)}', and cannot be deleted.`),
  cyclicTypeHierarchy: (hierarchy: readonly string[]) =>
    new StrataError('TYW', 8, `There is a cyclic type hierarchy, which is not allowed: '${javaList(hierarchy)}'.`),
  ownsAbstractAttributeType: (owner: string, attribute: string) =>
    new StrataError('TYW', 9, `The type '${owner}' is not abstract, and thus cannot own an abstract attribute type '${attribute}'.`),
  overriddenOwnedAttributeTypeNotSupertype: (owner: string, attribute: string, overridden: string) =>
    new StrataError('TYW', 10, `In the type '${owner}', the owned attribute type '${attribute}' cannot override '${overridden}' as it is not a supertype.`),
  overriddenPlayedRoleTypeNotSupertype: (player: string, role: string, overridden: string) =>
    new StrataError('TYW', 11, `In the type '${player}', the played role type '${role}' cannot override '${overridden}' as it is not a supertype.`),
  overriddenRelatedRoleTypeNotInherited: (relation: string, role: string, overridden: string) =>
    new StrataError('TYW', 12, `In the relation type '${relation}', the related role type '${role}' cannot override '${overridden}' as it is not an inherited role type.`),
  attributeSupertypeValueType: (label: string, valueType: ValueType | undefined, supertype: string, superValueType: ValueType | undefined) =>
    new StrataError('TYW', 14, `The attribute type '${label}' has value type '${valueTypeName(valueType)}', and cannot have supertype '${supertype}' with value type '${valueTypeName(superValueType)}'.`),
  attributeValueTypeMissing: (label: string) =>
    new StrataError('TYW', 15, `The attribute type '${label}' is missing a value type.`),
  attributeValueTypeModified: (valueType: ValueType, label: string) =>
    new StrataError('TYW', 16, `An attribute value type (in this case '${valueTypeName(valueType)}') can only be set onto an attribute type (in this case '${label}') when it is defined for the first time.`),
  attributeValueTypeUndefined: (valueType: ValueType, label: string) =>
    new StrataError('TYW', 17, `An attribute value type (in this case '${valueTypeName(valueType)}') cannot be undefined. You can only undefine the attribute type (in this case '${label}') itself.`),
  attributeUnsetAbstractHasSubtypes: (label: string) =>
    new StrataError('TYW', 18, `The attribute type '${label}' cannot be set to non abstract as it has subtypes.`),
  attributeNewSupertypeNotAbstract: (label: string) =>
    new StrataError('TYW', 19, `The attribute type '${label}' cannot be subtyped as it is not abstract.`),
  attributeRegexUnsatisfiesInstances: (label: string, regex: string, value: string) =>
    new StrataError('TYW', 20, `The attribute type '${label}' cannot have regex '${regex}' as as it has an instance of value '${value}'.`),
  attributeValueTypeDefinedNotOnAttributeType: (label: string) =>
    new StrataError('TYW', 21, `The type '${label}' is not an attribute type, so it can not have a value type defined.`),
  rootAttributeTypeCannotBeOwned: () => new StrataError('TYW', 22, "The native root 'attribute' type cannot be owned."),
  rootRoleTypeCannotBePlayed: () => new StrataError('TYW', 23, "The native root 'role' type cannot be played."),
  ownsAttributeWasOverridden: (owner: string, attribute: string) =>
    new StrataError('TYW', 24, `Type '${owner}' cannot own '${attribute}' since it was overridden in a supertype, and cannot be redeclared as an ownership.`),
  redundantOwnsDeclaration: (owner: string, attribute: string) =>
    new StrataError('TYW', 25, `Type '${owner}' cannot redeclare inherited ownership '${attribute}' without annotation specialisation.`),
  ownsValueTypeNoExactEquality: (owner: string, attribute: string, annotations: string, valueType: ValueType | undefined) =>
    new StrataError('TYW', 26, `Type '${owner}' cannot own '${attribute}' with annotations '${annotations}' since it has has value type '${valueTypeName(valueType)}', which does not have an exact equality.`),
  ownsAnnotationDeclarationIncompatible: (owner: string, attribute: string, first: string, second: string) =>
    new StrataError('TYW', 27, `Type '${owner}' cannot own '${attribute}' with incompatible declared annotations '${first}' and '${second}'`),
  ownsOverrideAnnotationsRedundant: (owner: string, attribute: string, annotations: string, overridden: string) =>
    new StrataError('TYW', 28, `Type '${owner}' cannot declare ownership of '${attribute}' with annotations '${annotations}' since these annotations are inherited from overriding '${overridden}'.`),
  ownsAnnotationLessStrictThanParent: (owner: string, attribute: string, annotations: string, parent: string) =>
    new StrataError('TYW', 29, `Type '${owner}' cannot declare ownership of '${attribute}' with annotations '${annotations}' since this annotation is not stricter than the parent ownership '${parent}'.`),
  ownsKeyPreconditionMissing: (owner: string, attribute: string) =>
    new StrataError('TYW', 30, `Some instances of type '${owner}' have zero attributes of type '${attribute}' to convert to key.`),
  ownsKeyPreconditionTooMany: (owner: string, attribute: string) =>
    new StrataError('TYW', 31, `Some instances of type '${owner}' have more than one attribute of type '${attribute}' to convert to key.`),
  ownsKeyPreconditionUniqueness: (attribute: string, owner: string) =>
    new StrataError('TYW', 32, `The attributes of type '${attribute}' are not uniquely owned by instances of type '${owner}' to convert to key.`),
  ownsUniquePrecondition: (attribute: string, owner: string) =>
    new StrataError('TYW', 33, `The attributes of type '${attribute}' are not uniquely owned by instances of type '${owner}' to convert to unique.`),
  illegalRoleTypeAlias: (alias: string, role: string) =>
    new StrataError('TYW', 34, `The role type '${alias}' cannot be used as an alias for the inherited role type '${role}' - use the inherited role type or define a new role type overriding it with a new name.`),
  playsRoleNotAvailableOverridden: (player: string, role: string) =>
    new StrataError('TYW', 35, `Type '${player}' cannot declare plays role type '${role}' as it has been overridden and cannot be redeclared.`),
  relationNoRole: (relation: string) =>
    new StrataError('TYW', 37, `The relation type '${relation}' does not relate any role type.`),
  relationRelatesRoleFromSupertype: (role: string, relation: string) =>
    new StrataError('TYW', 39, `The role type '${role}' is already declared by a supertype of '${relation}'.`),
  relationRelatesRoleNotAvailable: (role: string, overridden: string) =>
    new StrataError('TYW', 40, `The role type '${role}' cannot override '${overridden}' as it is either directly related or not inherited.`),
  roleDefinedOutsideOfRelation: (role: string) =>
    new StrataError('TYW', 41, `The role type '${role}' cannot be defined/undefined outside the scope of its relation type.`),
  invalidDefineSub: (label: string, supertype: string) =>
    new StrataError('TYW', 42, `The type '${label}' cannot be defined, as the provided supertype '${supertype}' is not a valid thing type.`),
  invalidUndefineSub: (label: string, supertype: string) =>
    new StrataError('TYW', 43, `The type '${label}' cannot be undefined, as the provided supertype '${supertype}' is not a valid supertype.`),
  invalidUndefineRelatesOverride: (overridden: string, role: string) =>
    new StrataError('TYW', 44, `The overridden related role type '${overridden}' cannot be undefined. You should re-define relating '${role}' without overriding.`),
  invalidUndefinePlaysOverride: (overridden: string, role: string) =>
    new StrataError('TYW', 45, `The overridden played role type '${overridden}' cannot be undefined. You should re-define playing '${role}' without overriding.`),
  invalidUndefineOwnsOverride: (overridden: string, attribute: string) =>
    new StrataError('TYW', 46, `The overridden owned attribute type '${overridden}' cannot be undefined. You should re-define owning '${attribute}' without overriding.`),
  invalidUndefineAnnotations: (pattern: string) =>
    new StrataError('TYW', 47, `Annotations cannot be undefined on '${pattern}'. You should re-define the pattern without the annotations.`),
  invalidUndefineRelatesHasInstances: (role: string) =>
    new StrataError('TYW', 48, `The role type '${role}' cannot be undefined because it is currently played by existing instances.`),
  invalidUndefineOwnsHasInstances: (owner: string, attribute: string) =>
    new StrataError('TYW', 49, `The ability of type '${owner}' to own attribute type '${attribute}' cannot be undefined because there are data instances using this ownership.`),
  invalidUndefinePlaysHasInstances: (player: string, role: string) =>
    new StrataError('TYW', 50, `The ability of type '${player}' to play role type '${role}' cannot be undefined because it is currently played by existing instances.`),
  invalidUndefineInheritedOwns: (owner: string, attribute: string) =>
    new StrataError('TYW', 51, `The ability of type '${owner}' to own attribute type '${attribute}' cannot be undefined because the ability is inherited from a supertype.`),
  invalidUndefineInheritedPlays: (player: string, role: string) =>
    new StrataError('TYW', 52, `The ability of type '${player}' to play role type '${role}' cannot be undefined because the ability is inherited from a supertype.`),
  invalidUndefineNonexistentOwns: (owner: string, attribute: string) =>
    new StrataError('TYW', 53, `The ability of type '${owner}' to own attribute type '${attribute}' cannot be undefined because it does not have that ability.`),
  invalidUndefineNonexistentPlays: (player: string, role: string) =>
    new StrataError('TYW', 54, `The ability of type '${player}' to play role type '${role}' cannot be undefined because it does not have that ability.`),
  typeConstraintUnaccepted: (constraint: string) =>
    new StrataError('TYW', 55, `The type constraint '${constraint}' is not accepted in a define/undefine query.`),
  schemaValidationInvalidDefine: (pattern: string, errors: readonly StrataError[]) =>
    new StrataError('TYW', 57, `Defining '${pattern}' failed because resulting schema would be invalid: ${nested(errors)}.`),
  schemaValidationInvalidUndefine: (pattern: string, errors: readonly StrataError[]) =>
    new StrataError('TYW', 58, `Undefining '${pattern}' failed because the resulting schema would be invalid: ${nested(errors)}.`),
  schemaValidationInvalidSetSupertype: (label: string, supertype: string, errors: readonly StrataError[]) =>
    new StrataError('TYW', 59, `Setting the supertype of '${label}' to '${supertype}' failed because the resulting schema would be invalid: ${nested(errors)}.`),
  overriddenPlayedRoleNotAvailable: (player: string, role: string, overridden: string) =>
    new StrataError('TYW', 60, `The type '${player}' cannot override playing '${role}' with '${overridden}' as it is either directly declared or not inherited.`),
  overriddenOwnedAttributeNotAvailable: (owner: string, attribute: string, overridden: string) =>
    new StrataError('TYW', 61, `The type '${owner}' cannot override the ownership of '${attribute}' with '${overridden}' as it is either directly declared or not inherited.`),
  redundantPlaysDeclaration: (player: string, role: string) =>
    new StrataError('TYW', 62, `Type '${player}' cannot declare plays role type '${role}' as it is already inherited.`),
  maxSubtypeReached: (kind: string, max: number) =>
    new StrataError('TYW', 63, `The maximum number of '${kind}' types has been reached: '${max}'.`),
  // Strata's own: TypeDB has no such limit.
  typeHierarchyTooDeep: (label: string, supertype: string, depth: number, max: number) =>
    new StrataError(
      'TYW',
      90,
      `The type '${label}' cannot be a subtype of '${supertype}': the type hierarchy would be ${depth} types deep, and Strata takes at most ${max}. Make the hierarchy shallower.`,
    ),
};

export const TypeGraphErrors = {
  invalidSchemaWrite: (label: string) =>
    new StrataError('SCG', 2, `The label '${label}' is already in use in the schema graph.`),
};

export const RuleRead = {
  ruleNotFound: (label: string) => new StrataError('RUR', 1, `The rule with label '${label}' is not found.`),
};

export const RuleWrite = {
  invalidUndefineRuleBody: (label: string) =>
    new StrataError('RUW', 1, `The rule body of '${label}' ('when' or 'then') cannot be undefined. The rule must be undefined entirely by referring to its label.`),
  contradictoryRuleCycle: (rules: readonly string[]) =>
    new StrataError('RUW', 2, `A cycle containing negation(s) that can cause inference contradictions has been detected in rules: ${javaList(rules)}`),
  ruleConclusionIllegalInsert: (label: string, types: string) =>
    new StrataError('RUW', 3, `The conclusion of rule '${label}' may insert types '${types}', which is not allowed in the current schema.`),
  ruleWhenIncoherent: (label: string, when: string) =>
    new StrataError('RUW', 4, `The rule '${label}' has a when clause '${when}' that is illegal in the current schema.`),
  ruleThenIncoherent: (label: string, then: string) =>
    new StrataError('RUW', 7, `The rule '${label}' has a then clause '${then}' that can never be satisfied in the current schema.`),
  ruleThenInsertsAbstractTypes: (label: string, then: string, types: readonly string[]) =>
    new StrataError('RUW', 8, `The rule '${label}' has a then clause '${then}' which tries to insert instances of types '${javaList(types)}', some of which are abstract.`),
  ruleThenInvalidValueAssignment: (label: string, value: string, valueType: ValueType | undefined) =>
    new StrataError('RUW', 9, `The rule '${label}' has a then clause with an invalid assignment of '${value}' into a '${valueTypeName(valueType)}'.`),
};

export const Pattern = {
  unboundedNegation: () => new StrataError('QRY', 5, 'Invalid query containing unbounded negation pattern.'),
  variableContradiction: (variable: string) => new StrataError('QRY', 7, `The variable '${variable}' is both a type and a thing.`),
  variableNameConflict: (name: string) =>
    new StrataError('QRY', 20, `The variable name '${name}' was used both for a concept variable and a value variable.`),
};

/** TypeQL-level errors (TypeQL 2.28's ErrorMessage). */
export const TypeQL = {
  /** `reason`: why it does not compile (Strata's addition to TypeQL's text). */
  invalidRegex: (regex: string, reason?: string) =>
    new StrataError('TQL', 14, `Invalid regular expression '${regex}'.${reason === undefined ? '' : ` It does not compile: ${reason}.`}`),
  illegalConstraintRepetition: (variable: string, first: string, second: string) =>
    new StrataError('TQL', 21, `The variable '${variable}' contains illegally repeating constraints: '${first}' and '${second}'.`),
  invalidDefineQueryVariable: () =>
    new StrataError('TQL', 27, 'Invalid define/undefine query. User defined variables are not accepted in define/undefine query.'),
  invalidRuleWhenMissingPatterns: (label: string) =>
    new StrataError('TQL', 29, `Rule '${label}' 'when' has not been provided with any patterns.`),
  invalidRuleWhenNestedNegation: (label: string) =>
    new StrataError('TQL', 30, `Rule '${label}' 'when' contains a nested negation.`),
  invalidRuleThen: (label: string, then: string) =>
    new StrataError('TQL', 31, `Rule '${label}' 'then' '${then}': must be exactly one attribute ownership, or exactly one relation.`),
  invalidRuleThenHas: (label: string, then: string, type: string, variable: string) =>
    new StrataError('TQL', 32, `Rule '${label}' 'then' '${then}' tries to assign type '${type}' to variable '${variable}', but this variable already had a type assigned by the rule 'when'. Try omitting this type assignment.`),
  invalidRuleThenVariables: (label: string) =>
    new StrataError('TQL', 33, `Rule '${label}' 'then' variables must be present in the 'when', outside of nested patterns.`),
  invalidRuleThenRoles: (label: string, then: string) =>
    new StrataError('TQL', 34, `Rule '${label}' 'then' '${then}' must specify all role types explicitly or by using a variable.`),
  invalidRuleThenRelationVariable: (label: string, variable: string) =>
    new StrataError('TQL', 35, `Rule '${label}': relation variable name '${variable}' in 'then' must not be present.`),
  invalidTypeLabel: (label: string) =>
    new StrataError('TQL', 42, `The type label '${label}' is invalid. Type labels must be valid unicode identifiers.`),
};

/**
 * Several errors found at once (commit-time validation): TypeDB reports them all in one exception. The code is the
 * first error's; the message lists every error's full text.
 */
export function combinedError(errors: readonly StrataError[]): StrataError {
  if (errors.length === 1) return errors[0]!;
  const first = errors[0]!;
  const prefix = first.code.slice(0, 3) as ConstructorParameters<typeof StrataError>[0];
  const number = Number(first.code.slice(3));
  const body = first.message.slice(first.message.indexOf(': ') + 2);
  const rest = errors.slice(1).map((e) => `\n${e.message}`).join('');
  return new StrataError(prefix, number, body + rest);
}
