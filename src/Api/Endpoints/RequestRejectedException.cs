using LiteRestore.Inference;

namespace LiteRestore.Api.Endpoints;

/// <summary>A request the HTTP layer refuses before the engine sees it; it takes the engine's failure path to a problem answer.</summary>
internal sealed class RequestRejectedException(string code, string message) : RestorationException(code, message);
