/**
 * The pane's colors follow where it runs: Excel's Office theme (dark gray, black, colorful, white)
 * when Office says which, else the browser's light or dark preference; Windows high contrast
 * (forced colors) wins over both.
 */
import { teamsHighContrastTheme, Theme, webDarkTheme, webLightTheme } from '@fluentui/react-components';

/** What Office.context.officeTheme says (the part the pane reads). */
export interface OfficeThemeLike {
  bodyBackgroundColor: string;
}

export interface ThemeEnvironment {
  officeTheme?: OfficeThemeLike;
  prefersDark: boolean;
  forcedColors: boolean;
}

/** Relative luminance of a #rrggbb color, 0 (black) to 1 (white). */
function luminance(hex: string): number | undefined {
  const match = /^#?([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex.trim());
  if (!match) return undefined;
  const [r, g, b] = match.slice(1).map((h) => {
    const c = parseInt(h, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

export function paneTheme(environment: ThemeEnvironment): Theme {
  if (environment.forcedColors) return teamsHighContrastTheme;
  const office = environment.officeTheme ? luminance(environment.officeTheme.bodyBackgroundColor) : undefined;
  if (office !== undefined) return office < 0.2 ? webDarkTheme : webLightTheme;
  return environment.prefersDark ? webDarkTheme : webLightTheme;
}

/** The browser's side of the environment, and a way to hear when it changes. */
export function browserThemeEnvironment(officeTheme?: OfficeThemeLike): ThemeEnvironment {
  const media = (query: string) => typeof window !== 'undefined' && window.matchMedia?.(query).matches === true;
  return { officeTheme, prefersDark: media('(prefers-color-scheme: dark)'), forcedColors: media('(forced-colors: active)') };
}

export function onThemeMediaChange(listener: () => void): () => void {
  const queries = ['(prefers-color-scheme: dark)', '(forced-colors: active)'].map((q) => window.matchMedia?.(q)).filter(Boolean) as MediaQueryList[];
  queries.forEach((q) => q.addEventListener('change', listener));
  return () => queries.forEach((q) => q.removeEventListener('change', listener));
}
