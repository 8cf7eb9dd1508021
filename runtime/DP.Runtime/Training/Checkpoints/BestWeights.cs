using System.Text.Json;
using DP.Runtime.Models;
using DP.Runtime.Reporting;

namespace DP.Runtime.Training.Checkpoints;

/// <summary>
/// A run's best model, <c>best/</c>: trainable.safetensors (the model's SaveTrainable format) and state.json (step,
/// metric, value, the model's extra state and the SHA-256 of the weights). Both are written into a temporary folder that
/// replaces <c>best/</c> whole, so the hash always belongs to the weights beside it; loading verifies it.
/// </summary>
public static class BestWeights
{
    /// <summary>What best/state.json records about the kept model.</summary>
    public sealed record State(long Step, string Metric, double Value, Dictionary<string, double> ExtraState, string? Sha256 = null);

    public static void Save(RunFolder run, ITrainableModel model, State state)
    {
        var temp = run.BestDir + $".tmp-{Guid.NewGuid():N}";
        Directory.CreateDirectory(temp);
        try
        {
            var weights = Path.Combine(temp, Path.GetFileName(run.BestTrainablePath));
            model.SaveTrainable(weights);
            var stamped = state with { Sha256 = CheckpointStore.Hash(weights) };
            File.WriteAllText(Path.Combine(temp, Path.GetFileName(run.BestStatePath)), JsonSerializer.Serialize(stamped, ReportJson.Indented));
            AtomicFolder.Replace(temp, run.BestDir);
        }
        catch
        {
            if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
            throw;
        }
    }

    /// <summary>Verifies and loads the best weights and their extra state into <paramref name="model"/>.</summary>
    public static State Load(RunFolder run, ITrainableModel model)
    {
        var statePath = run.BestStatePath;
        if (!File.Exists(statePath)) throw new CheckpointException($"Best weights '{run.BestDir}' have no {Path.GetFileName(statePath)}: the folder is incomplete.");
        State? state;
        try
        {
            state = JsonSerializer.Deserialize<State>(File.ReadAllText(statePath), ReportJson.Indented);
        }
        catch (JsonException e)
        {
            throw new CheckpointException($"{statePath}({(e.LineNumber ?? 0) + 1}): best-model state is corrupt: {e.Message}", e);
        }
        if (state is null) throw new CheckpointException($"{statePath}(1): best-model state is empty.");
        if (string.IsNullOrEmpty(state.Sha256)) throw new CheckpointException($"{statePath}: field 'sha256' is missing (written by an older version?).");
        var weights = WeightsPath(run);
        if (!File.Exists(weights)) throw new CheckpointException($"Best weights file '{weights}' is missing.");
        var actual = CheckpointStore.Hash(weights);
        if (!string.Equals(actual, state.Sha256, StringComparison.OrdinalIgnoreCase))
            throw new CheckpointException($"Best weights file '{weights}' is corrupt: its SHA-256 is {actual}, {statePath} recorded {state.Sha256}.");
        try
        {
            model.LoadTrainable(weights);
        }
        catch (Exception e) when (e is not CheckpointException)
        {
            throw new CheckpointException($"Best weights file '{weights}' could not be loaded: {e.Message}", e);
        }
        foreach (var (k, v) in state.ExtraState) model.ExtraState[k] = v;
        return state;
    }

    /// <summary>The kept weights file: trainable.safetensors, or trainable.bin in a run made before the rename.</summary>
    public static string WeightsPath(RunFolder run)
        => !File.Exists(run.BestTrainablePath) && File.Exists(run.LegacyBestTrainablePath) ? run.LegacyBestTrainablePath : run.BestTrainablePath;
}
