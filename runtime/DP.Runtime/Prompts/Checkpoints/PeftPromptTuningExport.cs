using System.Text.Json;
using System.Text.Json.Nodes;
using DP.Runtime.Backbones;
using DP.Runtime.Experiments;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Checkpoints;

/// <summary>
/// Hugging Face PEFT adapter folders: adapter_config.json (the fields of PEFT's PeftConfig and PromptLearningConfig
/// plus the method's own) and adapter_model.safetensors holding "prompt_embeddings". Prompt tuning saves the
/// prompt [n, d]; prefix tuning the flat per-layer key/value prefixes [n, 2·layers·heads·headDim], keys of layer
/// l at 2l and values at 2l + 1, each heads-major, as PEFT's PrefixEncoder lays them out.
/// </summary>
public static class PeftPromptTuningExport
{
    public const string WeightsFile = "adapter_model.safetensors";
    public const string ConfigFile = "adapter_config.json";

    /// <summary>PEFT's PromptTuningInit name for how the prompt started.</summary>
    public static string InitName(PromptInit init) => init switch
    {
        PromptInit.Random => "RANDOM",
        PromptInit.Vocab => "SAMPLE_VOCAB",
        PromptInit.Text => "TEXT",
        PromptInit.VocabFirst => throw new InvalidOperationException(
            "method.init 'vocab_first' (the first vocabulary rows) has no PEFT PromptTuningInit, so a PEFT config cannot say how this prompt started; export a prompt started with random, vocab or text."),
        _ => throw new ArgumentOutOfRangeException(nameof(init), init, "Unknown method.init."),
    };

    /// <summary>A prompt-tuning adapter (PROMPT_TUNING) of a prompt in front of the encoder input.</summary>
    public static void Write(string directory, Tensor prompt, BackboneKind kind, BackboneShape shape,
        PromptInit init = PromptInit.Random, string? initText = null, string? baseModel = null)
    {
        if (prompt.dim() != 2 || prompt.shape[1] != shape.HiddenSize)
            throw new ArgumentException($"A PEFT prompt is [n, {shape.HiddenSize}], got [{string.Join(", ", prompt.shape)}].", nameof(prompt));
        if (init == PromptInit.Text && (initText is null || baseModel is null))
            throw new ArgumentException("A TEXT-initialised PEFT prompt needs its init text and the base model (PEFT's tokenizer_name_or_path).");
        var config = Common("PROMPT_TUNING", kind == BackboneKind.EncoderDecoder ? "SEQ_2_SEQ_LM" : "SEQ_CLS", prompt.shape[0], shape, baseModel);
        config["prompt_tuning_init"] = InitName(init);
        config["prompt_tuning_init_text"] = init == PromptInit.Text ? initText : null;
        config["tokenizer_name_or_path"] = init == PromptInit.Text ? baseModel : null;
        config["tokenizer_kwargs"] = null;
        Save(directory, prompt, config);
    }

    /// <summary>A prefix-tuning adapter (PREFIX_TUNING) of flat per-layer key/value prefixes.</summary>
    public static void WritePrefix(string directory, Tensor prefixes, string taskType, BackboneShape shape, string? baseModel = null)
    {
        long width = 2L * shape.NumLayers * shape.NumHeads * shape.HeadDim;
        if (prefixes.dim() != 2 || prefixes.shape[1] != width)
            throw new ArgumentException($"PEFT prefixes are [n, {width}], got [{string.Join(", ", prefixes.shape)}].", nameof(prefixes));
        var config = Common("PREFIX_TUNING", taskType, prefixes.shape[0], shape, baseModel);
        // What is saved are the prefixes themselves (any reparameterisation MLP already applied), which PEFT loads
        // into a plain embedding in inference mode.
        config["encoder_hidden_size"] = shape.HiddenSize;
        config["prefix_projection"] = false;
        config["init_weights"] = null;
        Save(directory, prefixes, config);
    }

    // The fields of PEFT's PeftConfig and PromptLearningConfig.
    private static JsonObject Common(string peftType, string taskType, long virtualTokens, BackboneShape shape, string? baseModel) => new()
    {
        ["peft_type"] = peftType,
        ["task_type"] = taskType,
        ["auto_mapping"] = null,
        ["base_model_name_or_path"] = baseModel,
        ["revision"] = null,
        ["inference_mode"] = true,
        ["num_virtual_tokens"] = virtualTokens,
        ["token_dim"] = shape.HiddenSize,
        // Our prompts go into the encoder only, so one transformer submodule even for T5.
        ["num_transformer_submodules"] = 1,
        ["num_attention_heads"] = shape.NumHeads,
        ["num_layers"] = shape.NumLayers,
    };

    // Each file written under a temporary name and renamed into place: a killed export leaves no half-written adapter.
    private static void Save(string directory, Tensor weights, JsonObject config)
    {
        Directory.CreateDirectory(directory);
        string weightsPath = Path.Combine(directory, WeightsFile), configPath = Path.Combine(directory, ConfigFile);
        string tempWeights = weightsPath + $".tmp-{Guid.NewGuid():N}", tempConfig = configPath + $".tmp-{Guid.NewGuid():N}";
        TrainableCheckpoint.Write(tempWeights, new Dictionary<string, Tensor> { ["prompt_embeddings"] = weights });
        File.WriteAllText(tempConfig, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
        File.Move(tempWeights, weightsPath, overwrite: true);
        File.Move(tempConfig, configPath, overwrite: true);
    }
}
