import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { I18nProvider } from '@refinedev/core';
import dayjs from 'dayjs';
import 'dayjs/locale/vi';
import { vi } from '../locales/vi';
import { en } from '../locales/en';

export type Lang = 'vi' | 'en';
const LANG_KEY = 'ntp.lang';

const saved = typeof localStorage !== 'undefined' ? localStorage.getItem(LANG_KEY) : null;
const initial: Lang = saved === 'en' ? 'en' : 'vi';

void i18n.use(initReactI18next).init({
  resources: { vi: { translation: vi }, en: { translation: en } },
  lng: initial,
  fallbackLng: 'vi',
  interpolation: { escapeValue: false },
  returnNull: false,
});

const applyLang = (lang: Lang) => {
  dayjs.locale(lang);
  document.documentElement.lang = lang;
};
applyLang(initial);

export const i18nProvider: I18nProvider = {
  // Refine also calls translate(key, defaultMessage).
  translate: (key: string, options?: any, defaultMessage?: string) => {
    const fallback = typeof options === 'string' ? options : defaultMessage;
    const text = i18n.t(key, { defaultValue: fallback, ...(typeof options === 'object' ? options : {}) });
    return typeof text === 'string' ? text : (fallback ?? key);
  },
  changeLocale: async (lang: string) => {
    const next: Lang = lang === 'en' ? 'en' : 'vi';
    localStorage.setItem(LANG_KEY, next);
    applyLang(next);
    await i18n.changeLanguage(next);
  },
  getLocale: () => (i18n.language === 'en' ? 'en' : 'vi'),
};

export default i18n;
