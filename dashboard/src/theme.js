// Light and dark: the system's preference until the user picks one (kept for the tab).
export function chartOptions() {
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim();
  return {
    // The logo's own <style> would need 'unsafe-inline': the page's footer carries the
    // attribution and the link that TradingView's licence asks for instead.
    layout: { background: { color: color("--panel") }, textColor: color("--fg"), attributionLogo: false },
    grid: { vertLines: { color: color("--line") }, horzLines: { color: color("--line") } },
  };
}

export function initTheme(onChange) {
  const saved = sessionStorage.getItem("ct-theme");
  const dark = saved ? saved === "dark" : matchMedia("(prefers-color-scheme: dark)").matches;
  const button = document.getElementById("theme");
  const apply = (on) => {
    document.documentElement.classList.toggle("dark", on);
    button.textContent = on ? "Light" : "Dark";
    sessionStorage.setItem("ct-theme", on ? "dark" : "light");
    onChange();
  };
  button.onclick = () => apply(!document.documentElement.classList.contains("dark"));
  apply(dark);
}
