namespace DP.Runtime.Training.Checkpoints;

/// <summary>One trainable tensor as a checkpoint records it: its module name, group and shape.</summary>
public sealed record TensorSignature(string Name, string Group, long[] Shape);

/// <summary>
/// The JSON part of a checkpoint (state.json): where the run stands and how to check the binary files
/// beside it (SHA-256 of each).
/// </summary>
public sealed class CheckpointState
{
    public const int CurrentFormat = 1;

    public int Format { get; set; } = CurrentFormat;
    /// <summary>Optimizer updates done.</summary>
    public long Step { get; set; }
    /// <summary>Position of the next micro-batch: epoch and index within it.</summary>
    public int Epoch { get; set; }
    public int BatchIndex { get; set; }
    public string Optimizer { get; set; } = "";
    public Dictionary<string, double> ExtraState { get; set; } = [];
    public double? BestValue { get; set; }
    public long BestStep { get; set; }
    public int EvalsWithoutImprovement { get; set; }
    public long LastEvalStep { get; set; } = -1;
    public long SkippedBatches { get; set; }
    public List<TensorSignature> Tensors { get; set; } = [];
    /// <summary>File name → lower-case hex SHA-256.</summary>
    public Dictionary<string, string> Sha256 { get; set; } = [];
}
