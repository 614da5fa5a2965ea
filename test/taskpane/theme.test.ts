import { teamsHighContrastTheme, webDarkTheme, webLightTheme } from '@fluentui/react-components';
import { paneTheme } from '../../src/taskpane/theme';

describe('the pane theme', () => {
  it("follows Office's theme when Office names one: dark gray and black are dark, white and colorful are light", () => {
    expect(paneTheme({ officeTheme: { bodyBackgroundColor: '#262626' }, prefersDark: false, forcedColors: false })).toBe(webDarkTheme);
    expect(paneTheme({ officeTheme: { bodyBackgroundColor: '#000000' }, prefersDark: false, forcedColors: false })).toBe(webDarkTheme);
    expect(paneTheme({ officeTheme: { bodyBackgroundColor: '#FFFFFF' }, prefersDark: true, forcedColors: false })).toBe(webLightTheme);
    expect(paneTheme({ officeTheme: { bodyBackgroundColor: '#E6E6E6' }, prefersDark: true, forcedColors: false })).toBe(webLightTheme);
  });

  it("follows the browser's preference outside Office, and high contrast wins over both", () => {
    expect(paneTheme({ prefersDark: true, forcedColors: false })).toBe(webDarkTheme);
    expect(paneTheme({ prefersDark: false, forcedColors: false })).toBe(webLightTheme);
    expect(paneTheme({ officeTheme: { bodyBackgroundColor: '#FFFFFF' }, prefersDark: false, forcedColors: true })).toBe(teamsHighContrastTheme);
  });
});
