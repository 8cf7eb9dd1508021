using System.Text.Json;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Tests.Training;
using DP.Runtime.Weights.HuggingFace;
using TorchSharp;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.T5;

/// <summary>
/// The T5 verbalizer's layout through the path the command line takes (ExperimentCli's Experiment.Compose on a T5
/// folder): by default the authors' (OpenPrompt's T5LMTokenizerWrapper) — the encoder reads "… &lt;/s&gt;" without a
/// sentinel, the decoder reads "&lt;pad&gt; &lt;extra_id_0&gt;" and the label words are scored at the step after the
/// sentinel; head.decoder_prefix = start keeps "&lt;pad&gt;" only.
/// </summary>
[Collection(TorchRngCollection.Name)] // Compose seeds torch's default generator.
public sealed class T5VerbalizerLayoutTests : IDisposable
{
    private const int ExtraIds = 10, Pieces = 200, Eos = 1;
    private readonly string _dir = Directory.CreateTempSubdirectory("dp-t5-layout").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private ExperimentOptions Options(DecoderPrefix prefix)
    {
        var model = Path.Combine(_dir, "t5");
        if (!Directory.Exists(model))
        {
            using var gen = new Generator(5);
            using var t5 = new T5Model(T5TestConfigs.Tiny with { VocabSize = Pieces + ExtraIds });
            using (torch.no_grad())
                foreach (var p in t5.parameters()) p.copy_(torch.randn(p.shape, generator: gen) * 0.3f);
            HuggingFaceFolder.Save(t5, model);
            File.Copy(T5TokenizerTests.ModelPath, Path.Combine(model, "spiece.model"));
            File.WriteAllText(Path.Combine(model, "tokenizer_config.json"), $$"""{ "extra_ids": {{ExtraIds}} }""");
            var data = Directory.CreateDirectory(Path.Combine(_dir, "data")).FullName;
            var lines = Enumerable.Range(0, 8).Select(i => JsonSerializer.Serialize(new { text = $"the {(i % 2 == 0 ? "dog" : "cat")} sat on the mat", label = i % 2 == 0 ? "dog" : "no" }));
            File.WriteAllLines(Path.Combine(data, "train.jsonl"), lines);
            File.WriteAllLines(Path.Combine(data, "val.jsonl"), lines);
        }
        var options = new ExperimentOptions { Name = "t5-layout" };
        options.Backbone.Source = model;
        options.Task.Kind = DataKind.Custom;
        options.Task.DataDir = Path.Combine(_dir, "data");
        options.Task.Fields = ["text"];
        options.Task.Labels = [new LabelWord("no", "no"), new LabelWord("dog", "dog")];
        options.Task.MaxLength = 32;
        options.Method = new PromptTuningOptions { PromptLength = 2 };
        options.Head.DecoderPrefix = prefix;
        options.Training.Device = DeviceChoice.Cpu;
        options.Training.EvalBatchSize = 8;
        return options;
    }

    [Theory]
    [InlineData(DecoderPrefix.Sentinel)]
    [InlineData(DecoderPrefix.Start)]
    public void LabelWordsAreScoredAtTheDecoderStepAfterTheConfiguredPrefix(DecoderPrefix prefix)
    {
        using var experiment = ExperimentCli.Experiment.Compose(Options(prefix));
        var model = experiment.Model;
        model.Module.eval();
        var batch = experiment.Data.Validation.Batches[0];
        int sentinel0 = Pieces + ExtraIds - 1; // <extra_id_0> is the last id
        Assert.Equal(sentinel0, experiment.Tokenizer.Special.Mask);

        // Encoder: "… </s>", no sentinel anywhere.
        var ids = batch.InputIds.data<long>().ToArray();
        Assert.DoesNotContain(ids, id => id >= Pieces);
        var lengths = batch.AttentionMask.sum(1).to(ScalarType.Int64).data<long>().ToArray();
        for (int r = 0; r < lengths.Length; r++) Assert.Equal(Eos, batch.InputIds[r, lengths[r] - 1].item<long>());

        // Decoder: <pad> <extra_id_0> (authors) or <pad> (start).
        var input = model.BuildInput(batch);
        long[] expectedPrefix = prefix == DecoderPrefix.Sentinel ? [0, sentinel0] : [0];
        for (int r = 0; r < lengths.Length; r++) Assert.Equal(expectedPrefix, input.DecoderInputIds![r].data<long>().ToArray());

        // Scores: the label words' logits at the last prefix step, which differ from those at the step after <pad>.
        using var _ = torch.no_grad();
        var logits = model.Backbone.Forward(input).DecoderLogits!;
        var words = torch.tensor(new long[] { experiment.Tokenizer.EncodeWords("no").Single(), experiment.Tokenizer.EncodeWords("dog").Single() });
        var scores = model.RowScores(batch);
        Assert.True(scores.allclose(logits[.., ^1].index_select(1, words), rtol: 1e-5, atol: 1e-6));
        if (prefix == DecoderPrefix.Sentinel)
            Assert.False(scores.allclose(logits[.., 0].index_select(1, words), rtol: 1e-3, atol: 1e-4));
    }
}
