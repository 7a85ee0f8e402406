// Small formatting helpers shared by the panels.

export function num(x, digits = 8) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toFixed(digits).replace(/\.?0+$/, "") || "0";
}

export function signed(x, digits = 8) {
  if (x === null || x === undefined) return "–";
  return (x > 0 ? "+" : "") + num(x, digits);
}

export function when(rfc3339) {
  if (!rfc3339) return "–";
  const d = new Date(rfc3339);
  return d.toISOString().replace("T", " ").slice(0, 19);
}

/** A table cell or element with text (never HTML: everything from the API is text). */
export function el(tag, text, className) {
  const e = document.createElement(tag);
  if (text !== undefined && text !== null) e.textContent = String(text);
  if (className) e.className = className;
  return e;
}

export function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.append(c instanceof Node ? wrap(c) : el("td", c));
  return tr;
}

function wrap(node) {
  const td = document.createElement("td");
  td.append(node);
  return td;
}

export function pnlClass(x) {
  return x > 0 ? "ok" : x < 0 ? "bad" : "";
}
