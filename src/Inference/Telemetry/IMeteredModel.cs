using LiteRestore.Contracts;

namespace LiteRestore.Inference;

/// <summary>What the meter's gauges read from a served model.</summary>
internal interface IMeteredModel
{
    ModelTags Tags { get; }

    int QueueDepth { get; }

    string? Provider { get; }

    ModelMemory? Memory { get; }
}
