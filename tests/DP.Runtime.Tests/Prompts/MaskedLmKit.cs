using DP.Runtime.Backbones.Bert;
using DP.Runtime.Models;
using DP.Runtime.Tokenization;
using TorchSharp;
using TorchSharp.PyBridge;
using DP.Runtime.Weights.HuggingFace;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>
/// A tiny random BERT written as transformers writes a BertForMaskedLM folder (bert.* encoder, cls.predictions.* head,
/// the decoder a copy of the word embeddings), its head's tensors, and batches whose rows hold one [MASK].
/// </summary>
internal sealed class MaskedLmKit : IDisposable
{
    public const int Mask = 3;
    public static readonly SpecialTokens Special = PromptTestKit.Special with { Mask = Mask };
    public static readonly int[] LabelWords = [11, 12];

    public string Folder { get; } = Directory.CreateTempSubdirectory("dp-mlm").FullName;
    public Tensor Dense = null!, DenseBias = null!, NormWeight = null!, NormBias = null!, Bias = null!, Embeddings = null!;

    /// <param name="decoderBiasName">The name the output bias is saved under (transformers writes both over the versions).</param>
    /// <param name="withHead">false: the same folder without any cls.* tensor (a BertModel checkpoint).</param>
    public MaskedLmKit(string decoderBiasName = "cls.predictions.bias", bool withHead = true, int seed = 7)
    {
        using var encoder = PromptTestKit.Backbone(seed);
        HuggingFaceFolder.Save(encoder, Folder);
        var path = Path.Combine(Folder, CheckpointFiles.SafetensorsFile);
        var state = Safetensors.LoadStateDict(path).ToDictionary(kv => "bert." + kv.Key, kv => kv.Value);
        using var gen = new Generator((ulong)seed + 100);
        int d = PromptTestKit.Tiny.HiddenSize, vocab = PromptTestKit.Tiny.VocabSize;
        Dense = torch.randn(d, d, generator: gen) * 0.3f;
        DenseBias = torch.randn(d, generator: gen) * 0.1f;
        NormWeight = 1 + torch.randn(d, generator: gen) * 0.2f;
        NormBias = torch.randn(d, generator: gen) * 0.1f;
        Bias = torch.randn(vocab, generator: gen) * 0.5f;
        Embeddings = state["bert.embeddings.word_embeddings.weight"].clone();
        if (withHead)
        {
            state["cls.predictions.transform.dense.weight"] = Dense;
            state["cls.predictions.transform.dense.bias"] = DenseBias;
            state["cls.predictions.transform.LayerNorm.weight"] = NormWeight;
            state["cls.predictions.transform.LayerNorm.bias"] = NormBias;
            state[decoderBiasName] = Bias;
            state["cls.predictions.decoder.weight"] = Embeddings.clone(); // tied: transformers saves a copy
        }
        File.Delete(path);
        Safetensors.SaveStateDict(path, state);
    }

    public BertModel Load() => (BertModel)HuggingFaceFolder.LoadBackbone(Folder);

    /// <summary>transformers' BertLMPredictionHead written out: dense, exact GELU, LayerNorm (eps 1e-12), embeddings + bias.</summary>
    public Tensor HandLogits(Tensor hidden, IReadOnlyList<int> words)
    {
        var x = hidden.matmul(Dense.t()) + DenseBias;
        x = x * 0.5 * (1 + torch.special.erf(x / Math.Sqrt(2)));
        var mean = x.mean([-1], keepdim: true);
        var variance = (x - mean).pow(2).mean([-1], keepdim: true);
        x = (x - mean) / torch.sqrt(variance + 1e-12) * NormWeight + NormBias;
        var logits = x.matmul(Embeddings.t()) + Bias;
        return logits.index_select(1, torch.tensor(words.Select(w => (long)w).ToArray()));
    }

    /// <summary>
    /// Rows [CLS] body [MASK] [SEP] (bodies of 3..8 tokens from 6..39): label 1 when token 5 occurs, 0 otherwise; of every
    /// <paramref name="positiveEvery"/> rows all but the last are positive. Also returns each row's mask index.
    /// </summary>
    public static (ModelBatch Batch, int[] MaskIndex) Batch(int rows, int seed, int positiveEvery = 2)
    {
        var rng = new Random(seed);
        var bodies = new List<int[]>();
        var labels = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            int len = rng.Next(3, 9);
            var body = Enumerable.Range(0, len).Select(_ => rng.Next(6, PromptTestKit.Tiny.VocabSize)).ToArray();
            bool positive = r % positiveEvery != positiveEvery - 1;
            if (positive) body[rng.Next(len)] = 5;
            labels[r] = positive ? 1 : 0;
            bodies.Add([.. body, Mask]);
        }
        return (PromptTestKit.Batch(bodies, labels), bodies.Select(b => b.Length).ToArray()); // [CLS] shifts the body by one
    }

    public void Dispose()
    {
        foreach (var t in new[] { Dense, DenseBias, NormWeight, NormBias, Bias, Embeddings }) t.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
