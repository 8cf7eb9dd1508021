using System.Text.Json;
using System.Text.Json.Nodes;
using DP.Runtime.Backbones;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Checkpoints;

/// <summary>
/// Writes a plain prompt-tuning prompt the way Hugging Face PEFT saves a PromptTuningConfig adapter:
/// adapter_config.json plus adapter_model.safetensors holding "prompt_embeddings" [n, d].
/// </summary>
public static class PeftPromptTuningExport
{
    public const string WeightsFile = "adapter_model.safetensors";
    public const string ConfigFile = "adapter_config.json";

    /// <param name="initKind">PEFT's PromptTuningInit name: RANDOM, SAMPLE_VOCAB or TEXT.</param>
    public static void Write(string directory, Tensor prompt, BackboneKind kind, BackboneShape shape,
        string initKind = "RANDOM", string? initText = null, string? baseModel = null)
    {
        if (prompt.dim() != 2 || prompt.shape[1] != shape.HiddenSize)
            throw new ArgumentException($"A PEFT prompt is [n, {shape.HiddenSize}], got [{string.Join(", ", prompt.shape)}].", nameof(prompt));
        Directory.CreateDirectory(directory);
        TrainableCheckpoint.Write(Path.Combine(directory, WeightsFile), new Dictionary<string, Tensor> { ["prompt_embeddings"] = prompt });
        var config = new JsonObject
        {
            ["peft_type"] = "PROMPT_TUNING",
            ["task_type"] = kind == BackboneKind.EncoderDecoder ? "SEQ_2_SEQ_LM" : "SEQ_CLS",
            ["num_virtual_tokens"] = prompt.shape[0],
            ["token_dim"] = shape.HiddenSize,
            // Our prompt goes into the encoder only, so one transformer submodule even for T5.
            ["num_transformer_submodules"] = 1,
            ["num_attention_heads"] = shape.NumHeads,
            ["num_layers"] = shape.NumLayers,
            ["prompt_tuning_init"] = initKind,
            ["prompt_tuning_init_text"] = initText,
            ["tokenizer_name_or_path"] = initText is null ? null : baseModel,
            ["tokenizer_kwargs"] = null,
            ["base_model_name_or_path"] = baseModel,
            ["revision"] = null,
            ["inference_mode"] = true,
            ["auto_mapping"] = null,
        };
        File.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }
}
