using System.Collections.Generic;
using System.Linq;
using DP.Generators.Model;

namespace DP.Generators.Emit.CSharp;

/// <summary>
/// Emits the typed predictor of a classification experiment: a record of the task's input fields, an enum of its
/// labels (class order), a prediction record and a predictor class over DP.Runtime's Predictor, plus the
/// experiment's <c>LoadPredictor</c>. Multiple-choice tasks (copa, record) get none: their inputs carry candidates.
/// </summary>
internal static class PredictorEmitter
{
    private const string Runtime = "global::DP.Runtime.Prediction";

    public static void EmitLoad(CodeWriter w, ExperimentSpec spec)
    {
        if (PredictorShape.Of(spec.Task) is null) return;
        var name = PredictorShape.Prefix(spec) + "Predictor";
        w.Line("/// <summary>The trained run <paramref name=\"run\"/> (default the latest) with its best weights, or the checkpoint folder <paramref name=\"checkpoint\"/>, ready to label new inputs.</summary>");
        w.Line("public static " + name + " LoadPredictor(string? run = null, string? checkpoint = null) => new " + name + "(" + Runtime + ".Predictor.Load(CreateOptions(), run, checkpoint));");
        w.Line();
    }

    public static void EmitTypes(CodeWriter w, ExperimentSpec spec)
    {
        if (PredictorShape.Of(spec.Task) is not { } shape) return;
        var prefix = PredictorShape.Prefix(spec);
        var generated = "[global::System.CodeDom.Compiler.GeneratedCode(\"DP.Generators\", \"" + GeneratorInfo.Version + "\")]";
        var members = shape.Labels.Select(PredictorShape.Member).ToList();
        var properties = shape.Properties;

        w.Line();
        w.Line("/// <summary>One input of " + CSharpLiteral.Xml(spec.Name) + ": the task's text fields.</summary>");
        w.Line(generated);
        w.Open("public sealed record " + prefix + "Input(" + string.Join(", ", properties.Select(p => "string " + p)) + ")");
        var pairs = shape.Fields.Select((f, i) => "[" + CSharpLiteral.String(f) + "] = " + properties[i]);
        w.Line("internal global::System.Collections.Generic.IReadOnlyDictionary<string, string> Fields() => new global::System.Collections.Generic.Dictionary<string, string> { " + string.Join(", ", pairs) + " };");
        w.Close();
        w.Line();
        w.Line("/// <summary>The labels of " + CSharpLiteral.Xml(spec.Name) + ", in class order.</summary>");
        w.Line(generated);
        w.Line("public enum " + prefix + "Label { " + string.Join(", ", members) + " }");
        w.Line();
        w.Line("/// <summary>A predicted label and each label's probability.</summary>");
        w.Line(generated);
        w.Line("public sealed record " + prefix + "Prediction(" + prefix + "Label Label, global::System.Collections.Generic.IReadOnlyDictionary<" + prefix + "Label, double> Probabilities);");
        w.Line();
        EmitPredictorClass(w, prefix, shape.Labels, generated);
    }

    private static void EmitPredictorClass(CodeWriter w, string prefix, IReadOnlyList<string> labels, string generated)
    {
        var label = prefix + "Label";
        w.Line("/// <summary>A trained run of the experiment labelling <see cref=\"" + prefix + "Input\"/>s; from <c>LoadPredictor</c>.</summary>");
        w.Line(generated);
        w.Open("public sealed class " + prefix + "Predictor : global::System.IDisposable");
        w.Line("private static readonly string[] LabelValues = { " + string.Join(", ", labels.Select(CSharpLiteral.String)) + " };");
        w.Line();
        w.Open("internal " + prefix + "Predictor(" + Runtime + ".Predictor predictor)");
        w.Line("Untyped = predictor;");
        w.Line("if (!global::System.Linq.Enumerable.SequenceEqual(predictor.Labels, LabelValues)) { predictor.Dispose(); throw new global::System.InvalidOperationException(\"The run's labels (\" + string.Join(\", \", predictor.Labels) + \") are not the spec's (\" + string.Join(\", \", LabelValues) + \"): rebuild after changing task.labels, or load another run.\"); }");
        w.Close();
        w.Line();
        w.Line("/// <summary>The runtime predictor underneath (label values as text, the run and weights it loaded).</summary>");
        w.Line("public " + Runtime + ".Predictor Untyped { get; }");
        w.Line();
        w.Line("public " + prefix + "Prediction Predict(" + prefix + "Input input) => Predict(new[] { input })[0];");
        w.Line();
        w.Line("/// <summary>Predictions in input order.</summary>");
        w.Open("public global::System.Collections.Generic.IReadOnlyList<" + prefix + "Prediction> Predict(global::System.Collections.Generic.IEnumerable<" + prefix + "Input> inputs)");
        w.Line("var results = new global::System.Collections.Generic.List<" + prefix + "Prediction>();");
        w.Open("foreach (var p in Untyped.Predict(global::System.Linq.Enumerable.Select(inputs, i => i.Fields())))");
        w.Line("var probabilities = new global::System.Collections.Generic.Dictionary<" + label + ", double>();");
        w.Line("foreach (var kv in p.Probabilities) probabilities[(" + label + ")global::System.Array.IndexOf(LabelValues, kv.Key)] = kv.Value;");
        w.Line("results.Add(new " + prefix + "Prediction((" + label + ")global::System.Array.IndexOf(LabelValues, p.Label), probabilities));");
        w.Close();
        w.Line("return results;");
        w.Close();
        w.Line();
        w.Line("public void Dispose() => Untyped.Dispose();");
        w.Close();
    }
}
