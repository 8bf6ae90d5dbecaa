/**
 * Dark mode: follows the system unless the user picked light or dark (stored in localStorage).
 * THEME_SCRIPT runs in <head> before the first paint, so a dark page never flashes light.
 */
export const THEME_KEY = "variabot-theme";
export type ThemePreference = "light" | "dark";

export const THEME_SCRIPT = `(function(){try{var p=localStorage.getItem(${JSON.stringify(THEME_KEY)});var d=p==="dark"||(p!=="light"&&window.matchMedia("(prefers-color-scheme: dark)").matches);var e=document.documentElement;e.classList.toggle("dark",d);e.style.colorScheme=d?"dark":"light"}catch(_){}})()`;

export function systemPrefersDark(): boolean {
  return window.matchMedia("(prefers-color-scheme: dark)").matches;
}

export function applyTheme(dark: boolean) {
  const root = document.documentElement;
  root.classList.toggle("dark", dark);
  root.style.colorScheme = dark ? "dark" : "light";
}

export function readPreference(): ThemePreference | undefined {
  try {
    const value = localStorage.getItem(THEME_KEY);
    return value === "light" || value === "dark" ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Stores an explicit choice; choosing what the system already shows goes back to following it. */
export function choose(dark: boolean) {
  try {
    if (dark === systemPrefersDark()) localStorage.removeItem(THEME_KEY);
    else localStorage.setItem(THEME_KEY, dark ? "dark" : "light");
  } catch {
    // storage disabled: the choice lasts for this page
  }
  applyTheme(dark);
}
