import { TeamsError } from './service';

/** Reports only need inline styles and data: images; nothing else may load or run. */
const REPORT_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** "Churn model, 12/3" → "churn-model-12-3" */
export function fileSlug(text: string, fallback: string): string {
  return (
    text
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || fallback
  );
}

/**
 * An HTML report response. Reports are sent as attachments (a file to keep or mail); with `inline`
 * (the shared-link page) the browser shows it instead, unless the address asks for `?download=1`.
 */
export async function htmlReportResponse(request: Request, file: { name: string; inline?: boolean }, render: () => Promise<string>): Promise<Response> {
  let html: string;
  try {
    html = await render();
  } catch (error) {
    if (error instanceof TeamsError) {
      return new Response(error.message, { status: error.code === 'NOT_FOUND' ? 404 : error.code === 'FORBIDDEN' ? 403 : 400, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    }
    throw error;
  }
  const download = !file.inline || new URL(request.url).searchParams.get('download') === '1';
  return new Response(html, {
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-disposition': `${download ? 'attachment' : 'inline'}; filename="${file.name.replace(/[^\w.-]/g, '_')}"`,
      'content-security-policy': REPORT_CSP,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-store',
    },
  });
}
