/**
 * Draw a state machine definition as a Mermaid flowchart (`flowchart TD`), for READMEs and reviews.
 *
 * The output depends only on the definition, so a README block generated from it can be checked
 * for drift. Node ids are `s1`, `s2`, ... in the order states appear (branches depth first); the
 * labels are the state names. Edges: `Next` solid, Choice rules and `Default` solid with a label,
 * `Catch` dotted and labelled with the error names. Parallel states are subgraphs holding one
 * subgraph per branch.
 */
import type { BranchDefinition, ChoiceRule, State, StateMachineDefinition } from './asl';
import { transitionsOf } from './definition';

const START_ID = 'start';
const END_ID = 'finish';

/** Renders `machine` as Mermaid source (no fences), one statement a line, ending in a newline. */
export function toMermaid(machine: StateMachineDefinition): string {
  const ids = new Map<string, string>();
  assignIds(machine, ids);

  const nodes: string[] = [];
  const edges: string[] = [];
  const failIds: string[] = [];
  let reachesEnd = false;

  const renderScope = (scope: BranchDefinition, indent: string, topLevel: boolean): void => {
    for (const [name, state] of Object.entries(scope.States)) {
      const id = ids.get(name) as string;
      // The state's own edges first, so edges read in state order (a Parallel's before its branches').
      for (const edge of transitionsOf(state)) {
        const target = ids.get(edge.target) as string;
        if (edge.kind === 'next') edges.push(`  ${id} --> ${target}`);
        else if (edge.kind === 'default') edges.push(`  ${id} -->|"Default"| ${target}`);
        else if (edge.kind === 'choice') edges.push(`  ${id} -->|"${mermaidEscape(describeRule(edge.rule as ChoiceRule))}"| ${target}`);
        else edges.push(`  ${id} -.->|"${mermaidEscape(edge.label as string)}"| ${target}`);
      }
      // Inside a branch, the end of the branch is the end of its subgraph: no edge needed.
      const ends = ('End' in state && state.End === true) || state.Type === 'Succeed';
      if (topLevel && ends) {
        edges.push(`  ${id} --> ${END_ID}`);
        reachesEnd = true;
      }
      if (state.Type === 'Parallel') {
        nodes.push(`${indent}subgraph ${id} ["${mermaidEscape(name)}"]`);
        state.Branches.forEach((item, index) => {
          nodes.push(`${indent}  subgraph ${id}_b${index + 1} ["Branch ${index + 1}"]`);
          nodes.push(`${indent}    direction TB`);
          renderScope(item, `${indent}    `, false);
          nodes.push(`${indent}  end`);
        });
        nodes.push(`${indent}end`);
      } else {
        nodes.push(`${indent}${id}${shape(state, name)}`);
      }
      if (state.Type === 'Fail') failIds.push(id);
    }
  };

  renderScope(machine, '  ', true);

  const lines = ['flowchart TD', `  ${START_ID}(("Start"))`, ...nodes];
  if (reachesEnd) lines.push(`  ${END_ID}(("End"))`);
  lines.push(`  ${START_ID} --> ${ids.get(machine.StartAt) as string}`, ...edges);
  if (failIds.length > 0) {
    lines.push('  classDef failState fill:#fde2e2,stroke:#c0392b', `  class ${failIds.join(',')} failState`);
  }
  return `${lines.join('\n')}\n`;
}

/** A short, readable form of a Choice rule, for an edge label. */
export function describeRule(rule: ChoiceRule): string {
  if (rule.And !== undefined) return rule.And.map((item) => `(${describeRule(item)})`).join(' and ');
  if (rule.Or !== undefined) return rule.Or.map((item) => `(${describeRule(item)})`).join(' or ');
  if (rule.Not !== undefined) return `not (${describeRule(rule.Not)})`;
  const operator = Object.keys(rule).find((key) => key !== 'Variable' && key !== 'Next');
  if (operator === undefined) return String(rule.Variable ?? '?');
  const value = rule[operator];
  const variable = String(rule.Variable ?? '?');
  if (operator === 'IsPresent') return `${variable} ${value ? 'is present' : 'is absent'}`;
  if (operator === 'IsNull') return `${variable} ${value ? 'is null' : 'is not null'}`;
  const symbol = OPERATOR_SYMBOLS.find(([suffix]) => operator.replace(/Path$/, '').endsWith(suffix));
  const shown = operator.endsWith('Path') ? String(value) : JSON.stringify(value);
  return symbol !== undefined ? `${variable} ${symbol[1]} ${shown}` : `${variable} ${operator} ${shown}`;
}

/** Comparison suffixes, longest first so `GreaterThanEquals` wins over `GreaterThan`. */
const OPERATOR_SYMBOLS: Array<[string, string]> = [
  ['GreaterThanEquals', '>='],
  ['LessThanEquals', '<='],
  ['GreaterThan', '>'],
  ['LessThan', '<'],
  ['Equals', '=='],
  ['Matches', 'matches'],
];

function shape(state: State, name: string): string {
  const label = `"${mermaidEscape(name)}"`;
  switch (state.Type) {
    case 'Choice':
      return `{${label}}`;
    case 'Succeed':
    case 'Fail':
      return `([${label}])`;
    case 'Wait':
      return `[/${label}/]`;
    case 'Pass':
      return `(${label})`;
    default:
      return `[${label}]`;
  }
}

function assignIds(scope: BranchDefinition, ids: Map<string, string>): void {
  for (const [name, state] of Object.entries(scope.States)) {
    ids.set(name, `s${ids.size + 1}`);
    if (state.Type === 'Parallel') for (const item of state.Branches) assignIds(item, ids);
  }
}

/** Mermaid entity codes for the characters that would end or confuse a quoted label. */
function mermaidEscape(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/#/g, '#35;').replace(/"/g, '#quot;').replace(/</g, '#lt;').replace(/>/g, '#gt;');
}
