using DP.Runtime.Data;
using DP.Runtime.Models;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Training;

/// <summary>
/// A tiny bag-of-embeddings classifier: embedding ("prompt" group) → mean over tokens → dropout → linear ("head").
/// Dropout makes training consume the RNG, so resume tests check RNG restoring too. It anneals a fake
/// temperature and reports fake prompt choices so the trainer's dynamic-prompting paths run.
/// </summary>
internal sealed class BagClassifier : ITrainableModel, IPromptChoiceReporter, IRandomStateOwner
{
    // Noise from a generator of its own (like Gumbel noise): checkpoints must carry its state.
    private readonly Generator noise = new(5);
    private readonly Net net;
    private readonly Dictionary<string, double> extra = new() { ["temperature"] = 1.0 };

    public BagClassifier(int vocab = 20, int dim = 8, int classes = 2, double dropout = 0.1)
    {
        net = new Net(vocab, dim, classes, dropout);
    }

    /// <summary>Batches containing this example key get a NaN loss.</summary>
    public long? PoisonKey { get; set; }

    public nn.Module Module => net;

    public IReadOnlyList<ParameterGroup> ParameterGroups =>
    [
        new("prompt", [net.embed.weight!]),
        new("head", [net.head.weight!, net.head.bias!]),
    ];

    public Tensor Scores(ModelBatch batch) => net.forward(batch.InputIds);

    public Tensor Loss(ModelBatch batch)
    {
        var scores = Scores(batch);
        if (net.training) scores = scores + rand(scores.shape, generator: noise) * 0.5;
        var loss = nn.functional.cross_entropy(scores, batch.Labels);
        if (PoisonKey is long k && batch.ExampleKeys.Contains(k)) loss = loss * double.NaN;
        return loss;
    }

    public void OnOptimizerStep(long step) => extra["temperature"] = Math.Max(0.5, Math.Exp(-0.01 * step));

    public IDictionary<string, double> ExtraState => extra;

    public void SaveTrainable(string path)
    {
        using var w = new BinaryWriter(File.Create(path));
        foreach (var p in ParameterGroups.SelectMany(g => g.Parameters)) p.detach().cpu().Save(w);
    }

    public void LoadTrainable(string path)
    {
        using var r = new BinaryReader(File.OpenRead(path));
        using var _ = no_grad();
        foreach (var p in ParameterGroups.SelectMany(g => g.Parameters))
        {
            using var t = zeros(p.shape, p.dtype);
            t.Load(r);
            p.copy_(t);
        }
    }

    public (int[] Split, int[] Length) Choices(ModelBatch batch)
    {
        // Deterministic stand-in: split = first token mod 3, length = 1 + (second token mod 2).
        var ids = batch.InputIds.cpu().data<long>().ToArray();
        int n = batch.Size, len = (int)batch.InputIds.shape[1];
        return (Enumerable.Range(0, n).Select(i => (int)(ids[i * len] % 3)).ToArray(),
                Enumerable.Range(0, n).Select(i => 1 + (int)(ids[i * len + 1] % 2)).ToArray());
    }

    public IReadOnlyDictionary<string, Tensor> SaveRandomState() => new Dictionary<string, Tensor> { ["noise"] = noise.get_state() };

    public void LoadRandomState(IReadOnlyDictionary<string, Tensor> states) => noise.set_state(states["noise"]);

    public void Dispose()
    {
        net.Dispose();
        noise.Dispose();
    }

    private sealed class Net : nn.Module<Tensor, Tensor>
    {
        public readonly Embedding embed;
        public readonly Dropout drop;
        public readonly Linear head;

        public Net(int vocab, int dim, int classes, double dropout) : base("bag")
        {
            embed = nn.Embedding(vocab, dim);
            drop = nn.Dropout(dropout);
            head = nn.Linear(dim, classes);
            RegisterComponents();
        }

        public override Tensor forward(Tensor ids) => head.forward(drop.forward(embed.forward(ids).mean([1L])));
    }
}

/// <summary>
/// A learnable synthetic task: each example is a sequence of token ids; class 0 draws mostly from the lower half
/// of the vocabulary, class 1 from the upper half (with noise tokens from everywhere).
/// </summary>
internal sealed class SyntheticTask
{
    public sealed record Example(long Key, long[] Ids, int Label);

    public List<Example> Train { get; } = [];
    public List<Example> Validation { get; } = [];
    public int SeqLen { get; }

    public SyntheticTask(int seed = 7, int train = 256, int validation = 96, int vocab = 20, int seqLen = 6)
    {
        SeqLen = seqLen;
        var rng = new Random(seed);
        Example Make(long key)
        {
            int label = rng.Next(2);
            var ids = new long[seqLen];
            for (int i = 0; i < seqLen; i++)
                ids[i] = rng.NextDouble() < 0.7 ? label * (vocab / 2) + rng.Next(vocab / 2) : rng.Next(vocab);
            return new Example(key, ids, label);
        }
        for (int i = 0; i < train; i++) Train.Add(Make(i));
        for (int i = 0; i < validation; i++) Validation.Add(Make(100_000 + i));
    }

    public static ModelBatch Batch(IReadOnlyList<Example> examples)
    {
        int len = examples[0].Ids.Length;
        var ids = tensor(examples.SelectMany(e => e.Ids).ToArray(), [examples.Count, len]);
        return new ModelBatch(ids, ones_like(ids), null, tensor(examples.Select(e => (long)e.Label).ToArray()), examples.Select(e => e.Key).ToArray());
    }
}

/// <summary>Shuffled training batches, deterministic per (seed, epoch); keeps one epoch's tensors alive.</summary>
internal sealed class SyntheticBatches(SyntheticTask task, int batchSize, int seed = 1) : ITrainBatchSource, IDisposable
{
    private int cachedEpoch = -1;
    private List<ModelBatch> cached = [];

    public IReadOnlyList<ModelBatch> EpochBatches(int epoch)
    {
        if (epoch == cachedEpoch) return cached;
        foreach (var b in cached) b.Dispose();
        var order = task.Train.ToArray();
        new Random(seed * 7919 + epoch).Shuffle(order);
        cached = order.Chunk(batchSize).Select(c => SyntheticTask.Batch(c)).ToList();
        cachedEpoch = epoch;
        return cached;
    }

    public void Dispose()
    {
        foreach (var b in cached) b.Dispose();
    }
}

/// <summary>The validation split with accuracy as its metric.</summary>
internal sealed class SyntheticEvaluation : IEvaluationSet, IDisposable
{
    private readonly Dictionary<long, int> gold;

    public SyntheticEvaluation(SyntheticTask task, int batchSize = 32)
    {
        Batches = task.Validation.Chunk(batchSize).Select(c => SyntheticTask.Batch(c)).ToList();
        gold = task.Validation.ToDictionary(e => e.Key, e => e.Label);
    }

    public string Name => "validation";
    public IReadOnlyList<ModelBatch> Batches { get; }
    public string PrimaryMetric => "accuracy";

    public IReadOnlyDictionary<string, double> Score(IReadOnlyDictionary<long, int> predictions) =>
        new Dictionary<string, double> { ["accuracy"] = predictions.Count(p => gold[p.Key] == p.Value) / (double)predictions.Count };

    public string LabelName(int index) => index == 0 ? "low" : "high";

    public void Dispose()
    {
        foreach (var b in Batches) b.Dispose();
    }
}
