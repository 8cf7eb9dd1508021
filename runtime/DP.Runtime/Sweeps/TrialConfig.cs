using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using DP.Runtime.Experiments;
using DP.Runtime.Reporting;

namespace DP.Runtime.Sweeps;

/// <summary>
/// A trial's resolved configuration: the spec's options, the sweep-wide train options, then the trial's overrides,
/// with the trial folder as output — exactly what its <c>train</c> will run — and a hash that says whether a finished
/// trial ran this configuration.
/// </summary>
public static class TrialConfig
{
    /// <summary>
    /// The train command line of a trial (without the verb): sweep-wide options first, the trial's own last. A swept
    /// key that does not apply to the trial's method (zipped axes give every trial a value, e.g. a pool size beside
    /// method.kind finetune) is not passed: the trial runs as that method would without it.
    /// </summary>
    public static List<string> TrainArguments(SweepTrial trial, IReadOnlyList<string> trainArgs, string trialFolder, MethodKind specMethod)
    {
        var method = trial.Get("method.kind") ?? SpecValues.MethodWord(specMethod);
        var args = new List<string>(trainArgs);
        foreach (var o in trial.Overrides.Where(o => DP.Generators.Model.SpecSchema.AppliesTo(o.Key, method)))
        {
            args.Add("--set");
            args.Add(o.ToString());
        }
        args.AddRange(["--output", trialFolder]);
        return args;
    }

    /// <summary>Resolves the trial's options; throws <see cref="ArgumentException"/> when its overrides break the spec's rules.</summary>
    public static ExperimentOptions Resolve(ExperimentOptions defaults, SweepTrial trial, IReadOnlyList<string> trainArgs, string trialFolder, SpecOverride applyOverride)
    {
        var options = Clone(defaults);
        CliArguments.Parse(TrainArguments(trial, trainArgs, trialFolder, defaults.Method.Kind)).ApplyTo(options, applyOverride);
        return options;
    }

    /// <summary>SHA-256 of the options as JSON, leaving out what does not change results: threads and the output folder.</summary>
    public static string Hash(ExperimentOptions options)
    {
        var copy = Clone(options);
        copy.Training.Threads = 0;
        copy.Output.Dir = "";
        var json = JsonSerializer.Serialize(copy, ReportJson.Line);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)));
    }

    /// <summary>A deep copy (JSON round trip, the run folder's own config format).</summary>
    public static ExperimentOptions Clone(ExperimentOptions options)
        => JsonSerializer.Deserialize<ExperimentOptions>(JsonSerializer.Serialize(options, ReportJson.Line), ReportJson.Line)
           ?? throw new InvalidOperationException("options did not round-trip");
}
