import type { RequestHandler } from 'express';
import { DEFAULT_LANGUAGE, isLanguage, negotiateLanguage, translatorFor, type Language } from '../i18n/index.js';

export const LANGUAGE_COOKIE = 'lang';

declare module 'express-serve-static-core' {
  interface Request {
    language: Language;
  }
}

/** ?lang= (remembered in a cookie) wins over the cookie, which wins over Accept-Language. */
export function languageMiddleware(secureCookies: boolean): RequestHandler {
  return (req, res, next) => {
    const fromQuery = req.query.lang;
    let language: Language;
    if (isLanguage(fromQuery)) {
      language = fromQuery;
      res.cookie(LANGUAGE_COOKIE, language, {
        maxAge: 365 * 24 * 3600 * 1000,
        sameSite: 'lax',
        httpOnly: true,
        secure: secureCookies,
      });
    } else if (isLanguage(req.cookies?.[LANGUAGE_COOKIE])) {
      language = req.cookies[LANGUAGE_COOKIE];
    } else {
      language = negotiateLanguage(req.get('accept-language')) ?? DEFAULT_LANGUAGE;
    }
    req.language = language;
    res.locals.lang = language;
    res.locals.t = translatorFor(language);
    res.locals.otherLanguage = language === 'en' ? 'zh-CN' : 'en';
    res.locals.currentPath = req.path;
    res.vary('Accept-Language');
    res.vary('Cookie');
    next();
  };
}
