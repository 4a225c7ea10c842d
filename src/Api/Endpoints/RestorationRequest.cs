using LiteRestore.Contracts;

namespace LiteRestore.Api.Endpoints;

/// <summary>What one restoration request asks for, as bound from the query string.</summary>
internal sealed record RestorationRequest(RestorationTask Task, RestorationQuery Query, int? Scale = null);
