using DP.Runtime.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

/// <summary>What a head reads besides the backbone's output.</summary>
/// <param name="AttentionMask">The assembled attention mask [rows, T].</param>
/// <param name="MaskPositions">
/// For a head with a <see cref="IScoreHead.MaskTokenId"/>: where each row's mask token sits in the sequence the backbone
/// read [rows] (int64), after any prompt rows were inserted; null otherwise.
/// </param>
public sealed record HeadInput(Tensor AttentionMask, Tensor? MaskPositions = null);

/// <summary>Turns the backbone's output into one score vector per row.</summary>
public interface IScoreHead
{
    nn.Module Module { get; }

    /// <summary>Decoder input ids the backbone must read (verbalizer on T5), or null for encoder heads.</summary>
    Tensor? DecoderInputIds(long batch, Device device);

    /// <summary>The token whose position the head reads (the masked-LM verbalizer's [MASK]), or null.</summary>
    int? MaskTokenId => null;

    /// <summary>Scores per row [rows, C] (C = 1 for multiple-choice candidates).</summary>
    Tensor Scores(BackboneOutput output, HeadInput input);
}
