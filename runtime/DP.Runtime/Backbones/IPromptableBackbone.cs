using DP.Runtime.Backbones.Dropout;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones;

/// <summary>The two backbone families the prompt methods serve.</summary>
public enum BackboneKind { Encoder, EncoderDecoder }

/// <summary>Shape facts every prompt method needs about a backbone.</summary>
public sealed record BackboneShape(int HiddenSize, int NumLayers, int NumHeads, int HeadDim, int VocabSize, int MaxPositions);

/// <summary>
/// Per-layer key/value prefixes (P-tuning v2). <see cref="Keys"/>[i] and <see cref="Values"/>[i] are
/// [batch, heads, prefixLen, headDim] for encoder layer i; <see cref="Mask"/> is [batch, prefixLen] (1 = attend).
/// </summary>
public sealed record DeepPrompt(IReadOnlyList<Tensor> Keys, IReadOnlyList<Tensor> Values, Tensor Mask);

/// <summary>
/// What a backbone reads. <see cref="InputsEmbeds"/> [B, L, d] may already contain prompt rows;
/// <see cref="AttentionMask"/> [B, L] is 1 for tokens that take part in attention, 0 otherwise.
/// </summary>
public sealed record BackboneInput(
    Tensor InputsEmbeds,
    Tensor AttentionMask,
    Tensor? PositionIds = null,
    Tensor? TokenTypeIds = null,
    DeepPrompt? DeepPrompt = null,
    Tensor? DecoderInputIds = null);

/// <summary>
/// What a backbone returns. Encoder-only models fill <see cref="LastHiddenState"/>; encoder–decoder models
/// also fill <see cref="DecoderLogits"/> [B, T, vocab] when decoder input ids were given.
/// Outputs are float32 whatever the backbone's compute dtype.
/// </summary>
public sealed record BackboneOutput(Tensor LastHiddenState, Tensor? DecoderHiddenState = null, Tensor? DecoderLogits = null);

/// <summary>
/// A frozen (or trainable, for fine-tuning) pre-trained model that prompt methods drive through input
/// embeddings. Parameter names are the Hugging Face names so checkpoints load strictly by name.
/// </summary>
public interface IPromptableBackbone
{
    BackboneKind Kind { get; }
    BackboneShape Shape { get; }

    /// <summary>The module itself (parameters, train/eval, device and dtype moves).</summary>
    nn.Module Module { get; }

    /// <summary>The word embedding table [vocab, d] (prompt init from vocabulary rows, text init).</summary>
    Tensor WordEmbeddingWeight { get; }

    /// <summary>The dtype the backbone computes in (float32 or bfloat16).</summary>
    ScalarType ComputeDType { get; }

    /// <summary>Word embeddings of token ids [B, L] → [B, L, d] (float32), without positions or token types.</summary>
    Tensor EmbedTokens(Tensor inputIds);

    /// <summary>Runs the model on (possibly prompted) input embeddings.</summary>
    BackboneOutput Forward(BackboneInput input);

    /// <summary>
    /// Activation checkpointing: when on, training forwards keep only each layer's inputs and the backward runs the
    /// layer again (less memory, about one more forward of compute). No effect without gradients.
    /// </summary>
    bool GradientCheckpointing { get; set; }

    /// <summary>
    /// The backbone's dropout (training mode only, at its config's rates), drawn from generators of its own; also what
    /// P-tuning v2's prefixes are dropped out with.
    /// </summary>
    SeededDropout Dropout { get; }

    /// <summary>The config's hidden dropout rate (BERT hidden_dropout_prob, T5 dropout_rate), also used on deep prompts.</summary>
    double HiddenDropoutRate { get; }

    /// <summary>Freezes every parameter (requires_grad = false).</summary>
    void Freeze();

    /// <summary>Moves the weights to <paramref name="dtype"/> (float32 or bfloat16); inputs are cast inside Forward.</summary>
    void SetComputeDType(ScalarType dtype);
}
