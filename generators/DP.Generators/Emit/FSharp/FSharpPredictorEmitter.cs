using System.Linq;
using DP.Generators.Emit.CSharp;
using DP.Generators.Model;

namespace DP.Generators.Emit.FSharp;

/// <summary>
/// Emits the typed predictor of a classification experiment as F#: a record of the task's input fields, a union of
/// its labels (class order), a prediction record and a predictor over DP.Runtime's Predictor, plus the module's
/// <c>LoadPredictor</c>. The shape is <see cref="PredictorShape"/>'s, as for C#.
/// </summary>
internal static class FSharpPredictorEmitter
{
    private const string Runtime = "DP.Runtime.Prediction";
    private const string ReadOnlyList = "System.Collections.Generic.IReadOnlyList";

    public static void EmitLoad(CodeWriter w, ExperimentSpec spec)
    {
        if (PredictorShape.Of(spec.Task) is null) return;
        var name = PredictorShape.Prefix(spec) + "Predictor";
        w.Line("/// The trained run (None: the latest) with its best weights, or the checkpoint folder, ready to label new inputs.");
        w.Line("let LoadPredictorFrom (run: string option) (checkpoint: string option) : " + name + " =");
        w.Line("    new " + name + "(" + Runtime + ".Predictor.Load(CreateOptions (), Option.toObj run, Option.toObj checkpoint))");
        w.Line();
        w.Line("/// The latest trained run with its best weights, ready to label new inputs.");
        w.Line("let LoadPredictor () : " + name + " = LoadPredictorFrom None None");
        w.Line();
    }

    public static void EmitTypes(CodeWriter w, ExperimentSpec spec)
    {
        if (PredictorShape.Of(spec.Task) is not { } shape) return;
        var prefix = PredictorShape.Prefix(spec);
        var generated = FSharpExperimentEmitter.Generated;
        var label = prefix + "Label";
        var properties = shape.Properties;
        var cases = shape.Labels.Select(FSharpNames.UnionCase).ToList();

        w.Line("/// One input of " + CSharpLiteral.Xml(spec.Name) + ": the task's text fields.");
        w.Line(generated);
        w.Line("type " + prefix + "Input = { " + string.Join("; ", properties.Select(p => p + ": string")) + " }");
        w.Line();
        w.Line("/// The labels of " + CSharpLiteral.Xml(spec.Name) + ", in class order.");
        w.Line("[<RequireQualifiedAccess>]");
        w.Line(generated);
        w.Indent("type " + label + " =");
        foreach (var c in cases) w.Line("| " + c);
        w.Dedent();
        w.Line();
        w.Line("/// A predicted label and each label's probability.");
        w.Line(generated);
        w.Line("type " + prefix + "Prediction = { Label: " + label + "; Probabilities: System.Collections.Generic.IReadOnlyDictionary<" + label + ", float> }");
        w.Line();
        w.Line("/// A trained run of the experiment labelling " + prefix + "Inputs; from LoadPredictor.");
        w.Line(generated);
        w.Indent("type " + prefix + "Predictor internal (predictor: " + Runtime + ".Predictor) =");
        w.Line("static let labelValues = [| " + string.Join("; ", shape.Labels.Select(FSharpLiteral.String)) + " |]");
        w.Line("static let labels = [| " + string.Join("; ", cases.Select(c => label + "." + c)) + " |]");
        w.Line("static let labelOf (value: string) = labels.[System.Array.IndexOf(labelValues, value)]");
        w.Line("let fields (input: " + prefix + "Input) = readOnlyDict [ " + string.Join("; ", shape.Fields.Select((f, i) => FSharpLiteral.String(f) + ", input." + properties[i])) + " ]");
        w.Indent("do");
        w.Indent("if not (System.Linq.Enumerable.SequenceEqual(predictor.Labels, labelValues)) then");
        w.Line("predictor.Dispose()");
        w.Line("invalidOp (\"The run's labels (\" + System.String.Join(\", \", predictor.Labels) + \") are not the spec's (\" + System.String.Join(\", \", labelValues) + \"): rebuild after changing task.labels, or load another run.\")");
        w.Dedent().Dedent();
        w.Line();
        w.Line("/// The runtime predictor underneath (label values as text, the run and weights it loaded).");
        w.Line("member _.Untyped = predictor");
        w.Line();
        w.Line("/// Predictions in input order.");
        w.Indent("member _.Predict(inputs: seq<" + prefix + "Input>) : " + ReadOnlyList + "<" + prefix + "Prediction> =");
        w.Line("predictor.Predict(Seq.map fields inputs)");
        w.Line("|> Seq.map (fun p -> { " + prefix + "Prediction.Label = labelOf p.Label; Probabilities = readOnlyDict [ for kv in p.Probabilities -> labelOf kv.Key, kv.Value ] })");
        w.Line("|> Seq.toArray");
        w.Line(":> " + ReadOnlyList + "<" + prefix + "Prediction>");
        w.Dedent();
        w.Line();
        w.Line("member this.Predict(input: " + prefix + "Input) : " + prefix + "Prediction = this.Predict([ input ]).[0]");
        w.Line();
        w.Indent("interface System.IDisposable with");
        w.Line("member _.Dispose() = predictor.Dispose()");
        w.Dedent();
        w.Dedent();
        w.Line();
    }
}
