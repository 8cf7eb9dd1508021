using System.Text.Json.Nodes;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Experiments;
using DP.Runtime.Prompts.Checkpoints;
using DP.Runtime.Prompts.Composition;
using DP.Runtime.Tests.T5;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Prompts;

/// <summary>
/// PEFT adapters that PEFT could load and that mean what this model computes; checked against the field names of
/// PEFT's config classes (assets/peft-config-fields.json, taken from huggingface/peft's source). Real PEFT is not
/// available to these tests (no Python, no model hub), so loading into PEFT itself is not exercised.
/// </summary>
public class PeftExportTests
{
    private static readonly JsonNode Fields = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Prompts", "assets", "peft-config-fields.json")))!;

    private static HashSet<string> FieldsOf(params string[] classes) =>
        classes.SelectMany(c => Fields[c]!.AsArray().Select(f => (string)f!)).ToHashSet();

    private static PromptModel T5Prompt(PromptInit init, string? initText = null)
    {
        var t5 = new T5Model(T5TestConfigs.Tiny, new Generator(5));
        var method = new PromptTuningOptions { PromptLength = 3, Init = init, InitText = initText };
        return PromptModelFactory.Create(method, new HeadOptions(), t5, new TaskHeadInfo(2, VerbalizerTests.LabelWords),
            VerbalizerTests.T5Special, 3, initTextIds: init == PromptInit.Text ? [5, 6] : null);
    }

    private static string TempDir() => Path.Combine(Path.GetTempPath(), $"dp-peft-{Guid.NewGuid():N}");

    [Theory]
    [InlineData(PromptInit.Random, "RANDOM")]
    [InlineData(PromptInit.Vocab, "SAMPLE_VOCAB")]
    [InlineData(PromptInit.Text, "TEXT")]
    public void T5PromptTuningExportHasPeftsFieldsAndTheRealInitialisation(PromptInit init, string peftInit)
    {
        var dir = TempDir();
        try
        {
            using var model = T5Prompt(init, init == PromptInit.Text ? "great movie" : null);
            model.ExportPeft(dir, baseModel: "/models/t5-v1_1-small");

            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, PeftPromptTuningExport.ConfigFile)))!.AsObject();
            Assert.Equal(FieldsOf("PeftConfigMixin", "PeftConfig", "PromptLearningConfig", "PromptTuningConfig"), config.Select(kv => kv.Key).ToHashSet());
            Assert.Equal("PROMPT_TUNING", (string?)config["peft_type"]);
            Assert.Equal("SEQ_2_SEQ_LM", (string?)config["task_type"]);
            Assert.Contains(peftInit, Fields["PromptTuningInit"]!.AsArray().Select(f => (string)f!));
            Assert.Equal(peftInit, (string?)config["prompt_tuning_init"]);
            // PEFT requires the text and a tokenizer for TEXT, and refuses tokenizer settings otherwise.
            Assert.Equal(init == PromptInit.Text ? "great movie" : null, (string?)config["prompt_tuning_init_text"]);
            Assert.Equal(init == PromptInit.Text ? "/models/t5-v1_1-small" : null, (string?)config["tokenizer_name_or_path"]);
            Assert.Equal(3, (int)config["num_virtual_tokens"]!);
            Assert.Equal(T5TestConfigs.Tiny.DModel, (int)config["token_dim"]!);

            var tensors = Safetensors.LoadStateDict(Path.Combine(dir, PeftPromptTuningExport.WeightsFile));
            Assert.Equal([(string)Fields["saved_weight"]!], tensors.Keys);
            var prompt = model.named_parameters().Single(p => p.name == "prompt.weight").parameter;
            Assert.True(PromptTestKit.Same(tensors["prompt_embeddings"], prompt.detach()));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void BertPromptTuningIsRefusedSayingWhyAndWritesNothing()
    {
        var dir = TempDir();
        using var model = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Prompt, n: 5));
        var e = Assert.Throws<InvalidOperationException>(() => model.ExportPeft(dir));
        Assert.Contains("before [CLS]", e.Message);
        Assert.Contains("head", e.Message);
        Assert.False(Directory.Exists(dir));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void BertPTuningV2ExportsPeftsPrefixTuningLayout(bool reparameterize)
    {
        var dir = TempDir();
        try
        {
            var method = new PrefixTuningOptions { PromptLength = 3, Reparameterize = reparameterize, ReparameterizeHidden = 8 };
            using var model = PromptTestKit.Model(method);
            model.ExportPeft(dir, baseModel: "tiny-bert");

            var config = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, PeftPromptTuningExport.ConfigFile)))!.AsObject();
            Assert.Equal(FieldsOf("PeftConfigMixin", "PeftConfig", "PromptLearningConfig", "PrefixTuningConfig"), config.Select(kv => kv.Key).ToHashSet());
            Assert.Equal("PREFIX_TUNING", (string?)config["peft_type"]);
            Assert.Equal(3, (int)config["num_virtual_tokens"]!);
            var shape = model.Backbone.Shape;
            Assert.Equal(shape.NumLayers, (int)config["num_layers"]!);
            Assert.Equal(shape.NumHeads, (int)config["num_attention_heads"]!);

            // PEFT views the saved prefixes as [n, 2·layers, heads, headDim]: layer l's keys at 2l, values at 2l + 1.
            var saved = Safetensors.LoadStateDict(Path.Combine(dir, PeftPromptTuningExport.WeightsFile))["prompt_embeddings"];
            Assert.Equal(new long[] { 3, 2L * shape.NumLayers * shape.NumHeads * shape.HeadDim }, saved.shape);
            var peft = saved.view(3, 2 * shape.NumLayers, shape.NumHeads, shape.HeadDim).permute(1, 2, 0, 3); // [2L, heads, n, headDim]
            using var _ = no_grad();
            model.Module.eval(); // the prefixes themselves, without the training-mode prefix dropout
            var ours = model.BuildInput(PromptTestKit.TokenPresenceBatch(1, seed: 1)).DeepPrompt!;
            for (int l = 0; l < shape.NumLayers; l++)
            {
                Assert.True(peft[2 * l].allclose(ours.Keys[l][0], rtol: 1e-6, atol: 1e-6), $"keys of layer {l}");
                Assert.True(peft[2 * l + 1].allclose(ours.Values[l][0], rtol: 1e-6, atol: 1e-6), $"values of layer {l}");
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void T5PTuningV2AndDynamicModelsAreRefusedSayingWhy()
    {
        var t5 = new T5Model(T5TestConfigs.Tiny, new Generator(5));
        using var prefix = PromptModelFactory.Create(new PrefixTuningOptions { PromptLength = 2 }, new HeadOptions(), t5,
            new TaskHeadInfo(2, VerbalizerTests.LabelWords), VerbalizerTests.T5Special, 3);
        Assert.Contains("decoder", Assert.Throws<InvalidOperationException>(() => prefix.ExportPeft(TempDir())).Message);
        using var dynamic = PromptTestKit.Model(PromptTestKit.Method(MethodKind.Dynamic, PositionPolicy.Task));
        Assert.Contains("dynamic", Assert.Throws<InvalidOperationException>(() => dynamic.ExportPeft(TempDir())).Message);
    }
}
