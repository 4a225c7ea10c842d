using Microsoft.Net.Http.Headers;

namespace LiteRestore.Api.Security;

/// <summary>
/// Headers on every response that keep browsers from misreading or framing what the service sends. The policy lets
/// Swagger UI run: its scripts and styles come from the service, its inline styles are its own, and its "try it out"
/// shows restored images as blob: and data: URLs.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; " +
        "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ReferrerPolicy = "Referrer-Policy";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers[HeaderNames.XContentTypeOptions] = "nosniff";
            headers[HeaderNames.XFrameOptions] = "DENY";
            headers[HeaderNames.ContentSecurityPolicy] = ContentSecurityPolicy;
            headers[ReferrerPolicy] = "no-referrer";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
