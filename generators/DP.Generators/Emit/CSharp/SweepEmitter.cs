using System.Globalization;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Emit.CSharp;

/// <summary>
/// Emits the spec's sweep as data for DP.Runtime.Sweeps: the trial count (known at build time) and the trial table
/// (each trial's value per swept key, as <c>--set</c> takes it), so the runtime needs no YAML parser.
/// </summary>
internal static class SweepEmitter
{
    private const string Definition = "global::DP.Runtime.Sweeps.SweepDefinition";

    /// <summary>The argument the experiment's Run passes to ExperimentCli for its sweep.</summary>
    /// <summary>
    /// The arguments the experiment's Run passes to ExperimentCli for its sweep; in a program that picks its spec by
    /// <c>--experiment NAME</c>, the trials' launcher starts the program with that selector too.
    /// </summary>
    public static string RunArgument(ExperimentSpec spec, bool selectedByName) => spec.Sweep is null ? ""
        : selectedByName ? ", Sweep, global::DP.Runtime.Sweeps.TrialLauncher.Current(\"--experiment\", ExperimentName)" : ", Sweep";

    public static void Emit(CodeWriter w, ExperimentSpec spec)
    {
        if (spec.Sweep is not { } sweep) return;
        w.Line("/// <summary>Trials of the spec's <c>sweep:</c> section.</summary>");
        w.Line("public const int SweepTrialCount = " + sweep.Trials.Count.ToString(CultureInfo.InvariantCulture) + ";");
        w.Line();
        w.Line("/// <summary>The spec's sweep: the swept keys and, per trial, the value of each (as <c>--set</c> takes it).</summary>");
        w.Line("public static " + Definition + " Sweep { get; } = new " + Definition + "(");
        w.Line("    new string[] { " + string.Join(", ", sweep.Keys.Select(CSharpLiteral.String)) + " },");
        w.Line("    new string[][]");
        w.Line("    {");
        foreach (var trial in sweep.Trials)
        {
            w.Line("        new string[] { " + string.Join(", ", trial.Values.Select(CSharpLiteral.String)) + " },");
        }
        w.Line("    });");
        w.Line();
    }
}
