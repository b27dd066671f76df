/** HTML error pages as Jenkins (on its Jetty) and the proxies in front of it send them. */

const REASONS: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  409: "Conflict",
  429: "Too Many Requests",
  500: "Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

/** Jetty's error page, what Jenkins answers a `sendError(status, message)` with. */
export function jettyErrorPage(status: number, message: string, uri: string): string {
  const said = escapeHtml(message === "" ? (REASONS[status] ?? "") : message);
  return `<html>
<head>
<meta http-equiv="Content-Type" content="text/html;charset=utf-8"/>
<title>Error ${status} ${said}</title>
</head>
<body><h2>HTTP ERROR ${status} ${said}</h2>
<table>
<tr><th>URI:</th><td>${escapeHtml(uri)}</td></tr>
<tr><th>STATUS:</th><td>${status}</td></tr>
<tr><th>MESSAGE:</th><td>${said}</td></tr>
<tr><th>SERVLET:</th><td>Stapler</td></tr>
</table>
<hr/><a href="https://eclipse.org/jetty">Powered by Jetty:// 10.0.20</a><hr/>

</body>
</html>
`;
}

/** Jenkins' own page for a user lacking a permission (sent with X-Required-Permission). */
export function accessDeniedPage(user: string, permissionTitle: string): string {
  return `<!DOCTYPE html><html class=""><head resURL="/static/0a1b2c3d">
<title>Access Denied [Jenkins]</title>
<script src="/static/0a1b2c3d/scripts/prototype.js" type="text/javascript"></script>
<link rel="stylesheet" href="/static/0a1b2c3d/jsbundles/styles.css" type="text/css">
</head><body id="jenkins" class="yui-skin-sam full-screen jenkins-2.440.3" data-version="2.440.3">
<div id="page-body"><div id="main-panel"><h1>Access Denied</h1>
<p>${escapeHtml(user)} is missing the ${escapeHtml(permissionTitle)} permission</p>
</div></div></body></html>
`;
}

/** The page Jenkins shows while it starts or restarts (with 503). */
export function startingPage(): string {
  return `<!DOCTYPE html><html><head resURL="/static/0a1b2c3d">
<title>Starting Jenkins [Jenkins]</title>
<style type="text/css">body { font-family: sans-serif; }</style>
</head><body><h1>Please wait while Jenkins is getting ready to work...</h1>
<p>Your browser will reload automatically when Jenkins is ready.</p></body></html>
`;
}

/** What a rate-limiting proxy (nginx's limit_req) answers. */
export function rateLimitedPage(): string {
  return `<html>
<head><title>429 Too Many Requests</title></head>
<body>
<center><h1>429 Too Many Requests</h1></center>
<hr><center>nginx</center>
</body>
</html>
`;
}
