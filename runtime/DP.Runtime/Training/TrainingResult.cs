namespace DP.Runtime.Training;

/// <summary>How a training run ended and what it achieved.</summary>
public sealed class TrainingResult
{
    public required string Experiment { get; init; }
    /// <summary>Optimizer updates done (counting skipped ones).</summary>
    public long Steps { get; init; }
    public int Epoch { get; init; }
    /// <summary>Stopped by Ctrl-C/SIGTERM or cancellation; a checkpoint holds the state.</summary>
    public bool Interrupted { get; init; }
    public bool StoppedEarly { get; init; }
    public string BestMetric { get; init; } = "";
    public double? BestValue { get; init; }
    public long? BestStep { get; init; }
    /// <summary>Metrics of the validation set for the weights the run ends with (the best ones when kept).</summary>
    public IReadOnlyDictionary<string, double>? Validation { get; init; }
    /// <summary>Multitask: the other tasks' validation metrics for the same weights, by set name.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, double>>? AuxiliaryValidation { get; init; }
    /// <summary>Metrics of the test set (task.test_file) for the same weights; null without one or when it has no labels.</summary>
    public IReadOnlyDictionary<string, double>? Test { get; init; }
    public long SkippedBatches { get; init; }
    public double Seconds { get; init; }
    public string? LastCheckpoint { get; init; }
    public string RunFolder { get; init; } = "";
}
