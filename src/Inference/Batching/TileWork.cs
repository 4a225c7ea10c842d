namespace LiteRestore.Inference;

/// <summary>A tile taken from the queue: which request, which of its tiles.</summary>
internal readonly record struct TileWork(TiledRequest Request, int Tile);
