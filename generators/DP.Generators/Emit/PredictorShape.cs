using System.Collections.Generic;
using System.Linq;
using System.Text;
using DP.Generators.Model;
using DP.Generators.Validation;

namespace DP.Generators.Emit;

/// <summary>
/// The typed predictor of a classification task, whatever the language: its input fields (and their property
/// names) and its label values in class order. Multiple-choice tasks (copa, record) have none: their inputs carry candidates.
/// </summary>
internal sealed record PredictorShape(IReadOnlyList<string> Fields, IReadOnlyList<string> Labels)
{
    public static PredictorShape? Of(TaskSpec task)
    {
        var custom = task.Get("task.kind") == "custom";
        var superGlue = task.Get("task.superglue")!;
        if (!custom && superGlue is "copa" or "record") return null;
        var fields = custom ? task.Fields.ToList() : SpecSchema.SuperGlueFields(superGlue).ToList();
        var labels = task.Labels.Count > 0 ? task.Labels.Select(l => l.Value).ToList() : SpecSchema.SuperGlueLabels(superGlue).Select(l => l.Key).ToList();
        return fields.Count == 0 || labels.Count < 2 ? null : new PredictorShape(fields, labels);
    }

    public IReadOnlyList<string> Properties => Fields.Select(SpecValidator.PropertyNameFor).ToList();

    /// <summary>"Sentiment" of SentimentExperiment: the prefix of the input, label, prediction and predictor types.</summary>
    public static string Prefix(ExperimentSpec spec) => spec.TypeName.Substring(0, spec.TypeName.Length - "Experiment".Length);

    /// <summary>"not_entailment" → NotEntailment, "1" → _1: an identifier from a label value.</summary>
    public static string Member(string value)
    {
        var sb = new StringBuilder();
        foreach (var part in value.Split(value.Where(c => !char.IsLetterOrDigit(c)).Distinct().ToArray(), System.StringSplitOptions.RemoveEmptyEntries))
        {
            sb.Append(char.ToUpperInvariant(part[0])).Append(part.Substring(1));
        }
        if (sb.Length == 0 || char.IsDigit(sb[0])) sb.Insert(0, '_');
        return sb.ToString();
    }
}
