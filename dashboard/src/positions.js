// Open positions with live unrealized P&L and a close action, and the closed ones, paged.
import { api } from "./api.js";
import { el, num, pnlClass, row, signed, when } from "./format.js";

const PAGE = 10;
let nextBefore = null;

/**
 * The open positions, updated in place by id: a row that stays keeps its elements (and the
 * keyboard focus on its Close button) while its figures change.
 */
export function renderOpen(positions, onError) {
  const body = document.getElementById("open-positions");
  const rows = new Map([...body.querySelectorAll("tr[data-id]")].map((tr) => [tr.dataset.id, tr]));
  body.querySelector("tr.none")?.remove();
  for (const p of positions) {
    let tr = rows.get(p.id);
    rows.delete(p.id);
    if (!tr) {
      tr = row(["", "", "", "", "", "", "", el("span"), closeButton(p, onError)]);
      tr.dataset.id = p.id;
      body.append(tr);
    }
    const cells = tr.children;
    const texts = [p.id, p.symbol, num(p.quantity), num(p.entry_price), num(p.mark_price),
      num(p.stop_loss), num(p.take_profit)];
    texts.forEach((t, i) => { if (cells[i].textContent !== t) cells[i].textContent = t; });
    const pnl = cells[7].firstChild;
    pnl.textContent = signed(p.unrealized_pnl);
    pnl.className = pnlClass(p.unrealized_pnl);
  }
  for (const gone of rows.values()) gone.remove();
  if (!positions.length) {
    const none = row([el("span", "none")]);
    none.className = "none";
    body.append(none);
  }
}

function closeButton(p, onError) {
  const close = el("button", "Close");
  close.type = "button";
  close.dataset.id = p.id;
  close.setAttribute("aria-label", `Close position ${p.id} (${p.symbol}) now`);
  close.onclick = async () => {
    close.disabled = true;
    try {
      await api(`/positions/${encodeURIComponent(p.id)}/close`, { method: "POST" });
    } catch (e) {
      onError(`Closing ${p.id}: ${e.message}`);
      close.disabled = false;
    }
  };
  return close;
}

/** The first page of closed positions, again (after a trade). */
export async function reloadClosed() {
  const page = await api(`/positions?state=closed&limit=${PAGE}`);
  document.getElementById("closed-positions").replaceChildren();
  appendClosed(page);
}

export async function olderClosed() {
  if (nextBefore === null) return;
  appendClosed(await api(`/positions?state=closed&limit=${PAGE}&before=${nextBefore}`));
}

function appendClosed(page) {
  const body = document.getElementById("closed-positions");
  for (const p of page.positions) {
    const pnl = el("span", signed(p.realized_pnl), pnlClass(p.realized_pnl));
    body.append(row([p.id, p.symbol, num(p.entry_price), num(p.exit_price), p.exit_reason, pnl,
      when(p.closed_at)]));
  }
  nextBefore = page.next_before;
  document.getElementById("closed-more").hidden = nextBefore === null;
}

/** Win rate over the most recent closed positions (up to 1,000): text for the figure. */
export async function winRate() {
  const page = await api("/positions?state=closed&limit=1000");
  const closed = page.positions;
  if (!closed.length) return "–";
  const wins = closed.filter((p) => p.realized_pnl > 0).length;
  const pct = ((100 * wins) / closed.length).toFixed(1);
  return page.next_before === null ? `${pct} %` : `${pct} % (last ${closed.length})`;
}
