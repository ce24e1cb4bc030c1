import { el } from '../dom.ts';

/** The JSON schema of a TypeBox object as the API sends it (a channel's target or settings). */
export interface ObjectSchema { properties: Record<string, SchemaProperty>; required?: string[] }
interface SchemaProperty { type?: string; anyOf?: Array<{ type?: string }>; description?: string; default?: unknown }

/** One input per property of an object schema (ids `${prefix}-${key}`); `read` turns them back into an object (numbers as numbers, empty optional fields left out). */
export function schemaFields(prefix: string, schema: ObjectSchema): { nodes: HTMLElement[]; read(): Record<string, unknown> } {
  const inputs = Object.entries(schema.properties).map(([key, property]) => {
    const types = property.type ? [property.type] : (property.anyOf ?? []).map((a) => a.type ?? '');
    const required = schema.required?.includes(key) ?? false;
    const node = types.includes('boolean') && types.length === 1
      ? el('input', { id: `${prefix}-${key}`, type: 'checkbox', 'data-key': key })
      : el('input', { id: `${prefix}-${key}`, type: types.length === 1 && (types[0] === 'integer' || types[0] === 'number') ? 'number' : 'text', required, 'data-key': key, placeholder: property.description ?? '' });
    return { key, types, node };
  });
  return {
    nodes: inputs.map(({ key, node }) => el('span', { class: 'field' }, el('label', { for: node.id }, key), node)),
    read() {
      const target: Record<string, unknown> = {};
      for (const { key, types, node } of inputs) {
        if (node.type === 'checkbox') {
          if (node.checked) target[key] = true;
        } else if (node.value !== '') {
          const numeric = (types.includes('integer') || types.includes('number')) && /^-?\d+(\.\d+)?$/.test(node.value);
          target[key] = numeric ? Number(node.value) : node.value;
        }
      }
      return target;
    },
  };
}
