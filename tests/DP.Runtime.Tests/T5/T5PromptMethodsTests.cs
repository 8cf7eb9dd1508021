using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Models;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tokenization;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

/// <summary>
/// Every method on the real T5 and the real SentencePiece tokenizer (tiny sizes): text-to-text with a verbalizer read
/// at the decoder step after the start token and &lt;extra_id_0&gt;, as the paper's T5 runs do.
/// </summary>
public class T5PromptMethodsTests
{
    private static readonly string[] Subjects = ["quick", "lazy", "brown", "small", "old", "young", "happy", "tired"];

    /// <summary>"The {subject} dog/cat sat on the mat." — label 1 for dog; three dogs for every cat.</summary>
    private static ModelBatch Batch(SentencePieceT5Tokenizer tokenizer, int rows)
    {
        var encoded = new List<int[]>();
        var labels = new long[rows];
        for (int r = 0; r < rows; r++)
        {
            bool dog = r % 4 != 3;
            labels[r] = dog ? 1 : 0;
            encoded.Add(tokenizer.Encode($"The {Subjects[r % Subjects.Length]} {(dog ? "dog" : "cat")} sat on the mat. {tokenizer.Decode([tokenizer.SentinelId(0)])}").Ids);
        }
        return T5TestConfigs.PaddedBatch(encoded, labels);
    }

    [Theory]
    [InlineData(MethodKind.Prompt, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Prefix, PositionPolicy.Prefix)]
    [InlineData(MethodKind.Dynamic, PositionPolicy.Instance)]
    [InlineData(MethodKind.FineTune, PositionPolicy.Prefix)]
    public void MethodTrainsOnT5ThroughTheVerbalizer(MethodKind kind, PositionPolicy position)
    {
        var tokenizer = SentencePieceT5Tokenizer.FromFile(T5TokenizerTests.ModelPath);
        using var weights = new Generator(5);
        using var backbone = new T5Model(T5TestConfigs.Tiny with { VocabSize = 320 }, weights);
        var before = backbone.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());
        int no = Assert.Single(tokenizer.EncodeWords("no")), dog = Assert.Single(tokenizer.EncodeWords("dog"));
        var task = new TaskHeadInfo(2, [no, dog]); // the default head.decoder_prefix: <pad> <extra_id_0>
        var method = Prompts.PromptTestKit.Method(kind, position, n: 4, init: PromptInit.Vocab);
        using var model = PromptModelFactory.Create(method, new HeadOptions(), backbone, task, tokenizer.Special, seed: 3);

        var batch = Batch(tokenizer, 16);
        model.Module.eval();
        float initial;
        using (torch.no_grad()) initial = model.Loss(batch).item<float>();
        // 40 steps: training-mode dropout (the config's 0.1) slows learning.
        DP.Runtime.Tests.Prompts.PromptTestKit.Train(model, batch, steps: 40, lr: kind == MethodKind.FineTune ? 0.01 : 0.05);
        float final;
        using (torch.no_grad()) final = model.Loss(batch).item<float>();
        Assert.True(float.IsFinite(final));
        Assert.True(final < initial - 0.05f, $"{kind}: loss {initial:F4} → {final:F4}");

        var changed = backbone.state_dict().Where(kv => !kv.Value.eq(before[kv.Key]).all().item<bool>()).Select(kv => kv.Key).ToList();
        if (kind == MethodKind.FineTune) Assert.NotEmpty(changed);
        else Assert.Empty(changed);
    }
}
