import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SenateEfdSite, sampleSearchRows } from '../../../devstack/senateEfdSite';
import { fetchBytes, headerValue } from '../../../sources/http';

/** The fake site is a test double for efdsearch.senate.gov: check it keeps the real site's rules. */
describe('SenateEfdSite', () => {
  const site = new SenateEfdSite();
  let base: string;
  beforeAll(async () => {
    base = await site.start();
  });
  afterAll(() => site.stop());

  const get = (path: string, cookie?: string) =>
    fetchBytes(base + path, { headers: cookie ? { cookie } : {}, acceptStatus: [302, 403, 404, 503] });
  const post = (path: string, body: URLSearchParams, headers: Record<string, string> = {}) =>
    fetchBytes(base + path, {
      method: 'POST',
      body: body.toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        referer: base + '/search/',
        ...headers,
      },
      acceptStatus: [302, 403, 404, 503],
    });
  const cookieOf = (setCookie: string | string[] | undefined) =>
    String(headerValue(setCookie)).split(';')[0]!;

  /** Home visit + agreement: the cookies a browser would hold afterwards. */
  async function session(): Promise<{ cookie: string; csrf: string }> {
    const home = await get('/search/home/');
    const csrfCookie = cookieOf(home.headers['set-cookie']);
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(home.body.toString())![1]!;
    const agreed = await post(
      '/search/home/',
      new URLSearchParams({ csrfmiddlewaretoken: token, prohibition_agreement: '1' }),
      {
        cookie: csrfCookie,
      },
    );
    expect(agreed.status).toBe(302);
    expect(headerValue(agreed.headers.location)).toBe('/senate/search/');
    return {
      cookie: `${csrfCookie}; ${cookieOf(agreed.headers['set-cookie'])}`,
      csrf: csrfCookie.split('=')[1]!,
    };
  }

  const search = (s: { cookie: string; csrf: string }, fields: Record<string, string>) =>
    post(
      '/search/report/data/',
      new URLSearchParams({
        report_types: '[11]',
        filer_types: '[1]',
        start: '0',
        length: '100',
        draw: '1',
        ...fields,
      }),
      { cookie: s.cookie, 'x-csrftoken': s.csrf, 'x-requested-with': 'XMLHttpRequest' },
    );

  it('hands out a masked per-page token that differs from the cookie', async () => {
    const home = await get('/search/home/');
    const secret = cookieOf(home.headers['set-cookie']).split('=')[1]!;
    const token = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(home.body.toString())![1]!;
    expect(secret).toHaveLength(32);
    expect(token).toHaveLength(64);
    expect(token).not.toContain(secret);
  });

  it('sends a visitor without a session back to the agreement page', async () => {
    for (const path of ['/search/', '/search/view/ptr/47763e88-79c4-477e-af8d-5d5b3bc5ede4/']) {
      const res = await get(path);
      expect(res.status).toBe(302);
      expect(headerValue(res.headers.location)).toMatch(/^\/senate\/search\/home\/\?next=/);
    }
  });

  it('refuses a POST without a valid CSRF token or Referer with 403', async () => {
    const s = await session();
    expect((await post('/search/home/', new URLSearchParams({ prohibition_agreement: '1' }))).status).toBe(
      403,
    );
    expect(
      (await search({ ...s, csrf: 'wrong' }, { submitted_start_date: '01/01/2012 00:00:00' })).status,
    ).toBe(403);
    const noReferer = await fetchBytes(base + '/search/report/data/', {
      method: 'POST',
      body: 'submitted_start_date=01%2F01%2F2012+00%3A00%3A00&start=0&length=10',
      headers: {
        cookie: s.cookie,
        'x-csrftoken': s.csrf,
        'content-type': 'application/x-www-form-urlencoded',
      },
      acceptStatus: [403],
    });
    expect(noReferer.status).toBe(403);
  });

  it('answers an empty start date or a page over 100 rows with the 503 maintenance page', async () => {
    const s = await session();
    const cases: Record<string, string>[] = [
      { submitted_start_date: '' },
      { submitted_start_date: '01/01/2012 00:00:00', length: '101' },
    ];
    for (const fields of cases) {
      const res = await search(s, fields);
      expect(res.status).toBe(503);
      expect(res.body.toString()).toMatch(/maintenance/i);
    }
  });

  it('answers the DataTables envelope, filtered by received date', async () => {
    const s = await session();
    const res = await search(s, { submitted_start_date: '01/01/2019 00:00:00', draw: '7' });
    expect(JSON.parse(res.body.toString())).toEqual({
      draw: 7,
      recordsTotal: 13,
      recordsFiltered: 2,
      data: sampleSearchRows().filter((r) => r[4] === '06/20/2019' || r[4] === '03/06/2020'),
      result: 'ok',
    });
  });

  it('serves the real PTR pages and 404 for unknown reports', async () => {
    const s = await session();
    const page = await get('/search/view/ptr/aad1827a-05d8-4b8f-96ed-f3e5f8c925ab/', s.cookie);
    expect(page.status).toBe(200);
    expect(page.body.toString()).toContain('Whitehouse');
    expect((await get('/search/view/ptr/0068462f-ee01-4550-98c9-b4437019d615/', s.cookie)).status).toBe(404);
    expect(
      (await get('/search/view/paper/00181DE2-0AC3-4373-9C2C-27A9C8D5DB59/', s.cookie)).body.toString(),
    ).toContain('filingImage');
  });

  it('answers nothing outside its prefix', async () => {
    const res = await fetchBytes(base.replace(/\/senate$/, '') + '/search/home/', { acceptStatus: [404] });
    expect(res.status).toBe(404);
  });
});
