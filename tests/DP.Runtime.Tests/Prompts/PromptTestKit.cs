using DP.Runtime.Backbones.Bert;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>Tiny random BERT backbones and hand-made batches for the prompt tests.</summary>
internal static class PromptTestKit
{
    public const int Cls = 1, Sep = 2, Pad = 0;
    public static readonly SpecialTokens Special = new(Pad, Cls, Sep);

    public static readonly BertConfig Tiny = new()
    {
        VocabSize = 40, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 64,
    };

    /// <summary>
    /// A tiny BERT whose weights come from its own generator: xunit runs test classes in parallel, so the global RNG
    /// (torch.manual_seed) could be drawn from by another test between seeding and construction.
    /// </summary>
    public static BertModel Backbone(int seed = 7, BertParts parts = BertParts.None)
    {
        var model = new BertModel(Tiny, parts);
        Reinitialise(model, seed);
        model.eval();
        return model;
    }

    /// <summary>Deterministic weights for any module: LayerNorm 1/0, other matrices N(0, 0.2²), biases N(0, 0.02²).</summary>
    public static void Reinitialise(nn.Module module, int seed)
    {
        using var gen = new Generator((ulong)seed);
        using var _ = torch.no_grad();
        foreach (var (name, p) in module.named_parameters())
        {
            if (name.Contains("LayerNorm")) p.fill_(name.EndsWith("weight") ? 1.0f : 0.0f);
            else p.copy_(torch.randn(p.shape, generator: gen) * (p.dim() > 1 ? 0.2f : 0.02f));
        }
    }

    /// <summary>[CLS] body [SEP] rows padded to the longest; token types 0 for the first half of the body, 1 after.</summary>
    public static ModelBatch Batch(IReadOnlyList<int[]> bodies, long[] labels, long[]? keys = null, int[]? choiceCounts = null)
    {
        int length = bodies.Max(b => b.Length) + 2;
        var ids = new long[bodies.Count * length];
        var mask = new float[bodies.Count * length];
        var types = new long[bodies.Count * length];
        for (int r = 0; r < bodies.Count; r++)
        {
            var row = new[] { Cls }.Concat(bodies[r]).Append(Sep).ToArray();
            for (int t = 0; t < row.Length; t++)
            {
                ids[r * length + t] = row[t];
                mask[r * length + t] = 1;
                types[r * length + t] = t > row.Length / 2 ? 1 : 0;
            }
        }
        return new ModelBatch(
            torch.tensor(ids).view(bodies.Count, length),
            torch.tensor(mask).view(bodies.Count, length),
            torch.tensor(types).view(bodies.Count, length),
            torch.tensor(labels),
            keys ?? Enumerable.Range(0, bodies.Count).Select(i => (long)i).ToArray(),
            choiceCounts);
    }

    /// <summary>
    /// A learnable task: label 1 when token 5 occurs in the body, else 0; of every <paramref name="positiveEvery"/> rows all
    /// but the last are positive (2 = balanced). Bodies of varying length.
    /// </summary>
    public static ModelBatch TokenPresenceBatch(int rows, int seed, long keyOffset = 0, int positiveEvery = 2)
    {
        var rng = new Random(seed);
        var bodies = new List<int[]>();
        var labels = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            int len = rng.Next(3, 9);
            var body = Enumerable.Range(0, len).Select(_ => rng.Next(6, Tiny.VocabSize)).ToArray();
            bool positive = r % positiveEvery != positiveEvery - 1; // all rows but the last of each cycle
            if (positive) body[rng.Next(len)] = 5;
            labels[r] = positive ? 1 : 0;
            bodies.Add(body);
        }
        return Batch(bodies, labels, Enumerable.Range(0, rows).Select(i => keyOffset + i).ToArray());
    }

    /// <summary>A method's options; position, length and pool are dynamic prompting's and refused for another method.</summary>
    public static MethodOptions Method(MethodKind kind, PositionPolicy position = PositionPolicy.Prefix, LengthPolicy length = LengthPolicy.Fixed,
        int pool = 0, int n = 4, PromptInit init = PromptInit.Random)
    {
        var method = MethodOptions.Create(kind);
        if (method is SoftPromptOptions soft) soft.PromptLength = n;
        if (method is PromptTuningOptions tuning) tuning.Init = init;
        if (method is DynamicPromptingOptions dynamic) (dynamic.Position, dynamic.Length, dynamic.Pool.Size) = (position, length, pool);
        else if (position != PositionPolicy.Prefix || length != LengthPolicy.Fixed || pool != 0)
            throw new ArgumentException($"position, length and pool are dynamic prompting's settings, not {kind}'s.");
        return method;
    }

    public static PromptModel Model(MethodOptions method, BertModel? backbone = null, long seed = 3, int classes = 2) =>
        PromptModelFactory.Create(method, new HeadOptions(), backbone ?? Backbone(), new TaskHeadInfo(classes), Special, seed);

    /// <summary>
    /// <paramref name="steps"/> AdamW steps on one batch in training mode (dropout and Gumbel noise on), the model's
    /// own step hook after each; leaves the model in eval mode.
    /// </summary>
    public static void Train(PromptModel model, ModelBatch batch, int steps, double lr = 0.05)
    {
        using var optimizer = torch.optim.AdamW(model.ParameterGroups.SelectMany(g => g.Parameters), lr: lr);
        model.Module.train();
        for (int step = 1; step <= steps; step++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            model.Loss(batch).backward();
            optimizer.step();
            model.OnOptimizerStep(step);
        }
        model.Module.eval();
    }

    /// <summary>Same shape and exactly the same values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    public static float[] Values(Tensor t) => t.detach().cpu().to(ScalarType.Float32).contiguous().data<float>().ToArray();
}
