using DP.Runtime.Prompts.Assembly;
using DP.Runtime.Prompts.Choices;
using DP.Runtime.Prompts.Gumbel;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

public class AssemblerTests
{
    private const int N = 3, D = 5;

    // Rows of different lengths; x embeddings are random so every position is distinguishable.
    private static (Tensor X, Tensor Mask, Tensor Types, Tensor P, int[] Lens) Inputs()
    {
        using var gen = new Generator(11);
        int[] lens = [6, 3, 4];
        int length = lens.Max();
        var mask = torch.zeros(lens.Length, length);
        for (int b = 0; b < lens.Length; b++) mask[b, ..lens[b]] = 1;
        var types = torch.randint(0, 2, [lens.Length, length], dtype: ScalarType.Int64, generator: gen);
        return (torch.randn([lens.Length, length, D], generator: gen), mask, types, torch.randn([lens.Length, N, D], generator: gen), lens);
    }

    /// <summary>[lead; P[j:]; x[lead..len−1); P[:j]; x[len−1]; x padding], built row by row.</summary>
    private static (float[,,] Embeds, float[,] Mask, long[,] Types) HandBuilt(Tensor x, Tensor types, Tensor p, int[] lens, int[] splits, int lead)
    {
        int length = (int)x.shape[1], total = length + N;
        var e = new float[lens.Length, total, D];
        var m = new float[lens.Length, total];
        var ty = new long[lens.Length, total];
        for (int b = 0; b < lens.Length; b++)
        {
            int j = splits[b], len = lens[b];
            var seq = new List<(bool Prompt, int Index)>();
            for (int t = 0; t < lead; t++) seq.Add((false, t));
            for (int k = j; k < N; k++) seq.Add((true, k));
            for (int t = lead; t < len - 1; t++) seq.Add((false, t));
            for (int k = 0; k < j; k++) seq.Add((true, k));
            seq.Add((false, len - 1));
            for (int t = len; t < length; t++) seq.Add((false, t));
            Assert.Equal(total, seq.Count);
            for (int t = 0; t < total; t++)
            {
                var (isPrompt, i) = seq[t];
                for (int c = 0; c < D; c++) e[b, t, c] = isPrompt ? p[b, i, c].item<float>() : x[b, i, c].item<float>();
                m[b, t] = t < len + N ? 1 : 0;
                ty[b, t] = isPrompt ? 0 : types[b, i].item<long>();
            }
        }
        return (e, m, ty);
    }

    private static void AssertMatches((float[,,] Embeds, float[,] Mask, long[,] Types) expected, AssembledInput actual)
    {
        Assert.Equal(expected.Embeds.Cast<float>(), PromptTestKit.Values(actual.InputsEmbeds));
        Assert.Equal(expected.Mask.Cast<float>(), PromptTestKit.Values(actual.AttentionMask));
        Assert.Equal(expected.Types.Cast<long>(), actual.TokenTypeIds!.cpu().data<long>().ToArray());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void EverySplitEqualsTheHandBuiltSequence(bool bertLead)
    {
        var (x, mask, types, p, lens) = Inputs();
        var assembler = new PromptAssembler(N, bertLead);
        for (int j = 0; j <= N; j++)
        {
            var splits = Enumerable.Repeat(j, lens.Length).ToArray();
            var expected = HandBuilt(x, types, p, lens, splits, bertLead ? 1 : 0);
            AssertMatches(expected, assembler.Assemble(x, mask, types, p, new PromptSplit.Fixed(j)));
            var oneHot = torch.nn.functional.one_hot(torch.full(lens.Length, j, dtype: ScalarType.Int64), N + 1).to(ScalarType.Float32);
            AssertMatches(expected, assembler.Assemble(x, mask, types, p, new PromptSplit.OneHot(oneHot)));
        }
    }

    [Fact]
    public void DifferentSplitsPerRowInOneBatch()
    {
        var (x, mask, types, p, lens) = Inputs();
        int[] splits = [2, 0, 3];
        var expected = HandBuilt(x, types, p, lens, splits, lead: 1);
        var assembler = new PromptAssembler(N, keepLeadingToken: true);
        AssertMatches(expected, assembler.Assemble(x, mask, types, p, new PromptSplit.PerInstance(torch.tensor(splits.Select(s => (long)s).ToArray()))));
        var g = torch.nn.functional.one_hot(torch.tensor(splits.Select(s => (long)s).ToArray()), N + 1).to(ScalarType.Float32);
        AssertMatches(expected, assembler.Assemble(x, mask, types, p, new PromptSplit.OneHot(g)));
        // With gradients the straight-through term is added; its forward value is exactly zero.
        AssertMatches(expected, assembler.Assemble(x, mask, types, p, new PromptSplit.OneHot(g.requires_grad_(true))));
    }

    [Fact]
    public void SplitZeroIsPrefixPromptTuningAndSplitNIsPostfix()
    {
        var (x, mask, types, p, lens) = Inputs();
        var assembler = new PromptAssembler(N, keepLeadingToken: true);
        var prefix = assembler.Assemble(x, mask, types, p, PromptSplit.Prefix).InputsEmbeds;
        // Prefix: [CLS] P x[1..] for every row.
        Assert.True(PromptTestKit.Same(prefix[.., 1..(N + 1)], p));
        Assert.True(PromptTestKit.Same(prefix[.., (N + 1)..], x[.., 1..]));
        // Postfix: the prompt sits right before each row's own closing token.
        var postfix = assembler.Assemble(x, mask, types, p, new PromptSplit.Fixed(N)).InputsEmbeds;
        for (int b = 0; b < lens.Length; b++)
        {
            Assert.True(PromptTestKit.Same(postfix[b, (lens[b] - 1)..(lens[b] - 1 + N)], p[b]));
            Assert.True(PromptTestKit.Same(postfix[b, lens[b] - 1 + N], x[b, lens[b] - 1]));
        }
    }

    [Fact]
    public void OneHotSplitSendsGradientToEveryChoiceAndThePrompt()
    {
        var (x, mask, types, p, _) = Inputs();
        p.requires_grad = true;
        using var gen = new Generator(12);
        var logits = torch.randn([3, N + 1], generator: gen).requires_grad_(true);
        var soft = torch.softmax(logits, -1);
        var g = DP.Runtime.Prompts.Gumbel.HardGumbelSoftmax.StraightThrough(soft);
        var assembled = new PromptAssembler(N, true).Assemble(x, mask, types, p, new PromptSplit.OneHot(g));
        (assembled.InputsEmbeds * torch.randn(assembled.InputsEmbeds.shape, generator: gen)).sum().backward();
        Assert.All(PromptTestKit.Values(logits.grad!), v => Assert.NotEqual(0f, v));
        Assert.True(p.grad!.abs().sum().item<float>() > 0);
    }
    [Fact]
    public void StraightThroughGradientOfEachChoiceIsTheLossOfItsOwnArrangement()
    {
        // The assembled input is linear in the choice g (Σ_j g_j X_j), so with a linear loss <W, E> the straight-through
        // gradient must equal that of the hand-built soft relaxation Σ_j s_j X_j, each X_j assembled on its own
        // (split j; or length ℓ: the first ℓ rows kept).
        var (x, mask, types, p, _) = Inputs();
        var assembler = new PromptAssembler(N, true);
        using var gen = new Generator(8);
        var logits = torch.randn([3, N + 1], generator: gen);
        var weights = torch.randn([3, (int)x.shape[1] + N, D], generator: gen);

        var splitLogits = logits.clone().requires_grad_(true);
        var split = HardGumbelSoftmax.StraightThrough(torch.softmax(splitLogits, -1));
        (assembler.Assemble(x, mask, types, p, new PromptSplit.OneHot(split)).InputsEmbeds * weights).sum().backward();
        var softSplit = logits.clone().requires_grad_(true);
        var softSplitWeights = torch.softmax(softSplit, -1);
        var splitRelaxation = Enumerable.Range(0, N + 1)
            .Select(j => softSplitWeights[.., j].view(-1, 1, 1) * assembler.Assemble(x, mask, types, p, new PromptSplit.Fixed(j)).InputsEmbeds)
            .Aggregate((a, b) => a + b);
        (splitRelaxation * weights).sum().backward();
        AssertClose(softSplit.grad!, splitLogits.grad!);

        var lengthLogits = logits.clone().requires_grad_(true);
        var keep = KeepMask.FromLengthChoice(HardGumbelSoftmax.StraightThrough(torch.softmax(lengthLogits, -1)));
        (assembler.Assemble(x, mask, types, p, new PromptSplit.Fixed(1), keep).InputsEmbeds * weights).sum().backward();
        var softLength = logits.clone().requires_grad_(true);
        var softLengthWeights = torch.softmax(softLength, -1);
        var lengthRelaxation = Enumerable.Range(0, N + 1)
            .Select(l => softLengthWeights[.., l].view(-1, 1, 1) * assembler.Assemble(x, mask, types, p, new PromptSplit.Fixed(1),
                (torch.arange(N) < l).to(ScalarType.Float32).expand(3, -1)).InputsEmbeds)
            .Aggregate((a, b) => a + b);
        (lengthRelaxation * weights).sum().backward();
        AssertClose(softLength.grad!, lengthLogits.grad!);
    }

    private static void AssertClose(Tensor expected, Tensor actual)
    {
        var e = PromptTestKit.Values(expected);
        var a = PromptTestKit.Values(actual);
        Assert.Equal(e.Length, a.Length);
        for (int i = 0; i < e.Length; i++) Assert.True(Math.Abs(e[i] - a[i]) <= 1e-4 * (1 + Math.Abs(e[i])), $"entry {i}: expected {e[i]}, got {a[i]}");
    }
}
