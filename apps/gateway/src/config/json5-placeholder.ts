export default { parse: (text: string): unknown => JSON.parse(text) };
