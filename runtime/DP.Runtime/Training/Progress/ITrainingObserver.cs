namespace DP.Runtime.Training.Progress;

/// <summary>What one optimizer step did (for progress displays; not the metrics log).</summary>
public sealed record StepReport(long Step, long MaxSteps, int Epoch, double Loss, double LearningRate, double? Temperature, int Examples);

/// <summary>Receives training progress: console displays, tests that interrupt a run at a chosen step.</summary>
public interface ITrainingObserver
{
    void OnStart(long firstStep, long maxSteps) { }
    void OnStep(StepReport report) { }
    /// <summary>An evaluation set is being scored: <paramref name="batchesDone"/> of <paramref name="batches"/> batches.</summary>
    void OnEvaluating(string set, int batchesDone, int batches) { }
    void OnEvaluation(long step, IReadOnlyDictionary<string, double> metrics, bool improved) { }
    void OnMessage(string message) { }
    void OnEnd() { }
}

/// <summary>Observes nothing.</summary>
public sealed class NullTrainingObserver : ITrainingObserver
{
    public static readonly NullTrainingObserver Instance = new();
}
