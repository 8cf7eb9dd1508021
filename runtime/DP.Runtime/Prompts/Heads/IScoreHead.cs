using DP.Runtime.Backbones;
using TorchSharp;
using static TorchSharp.torch;

namespace DP.Runtime.Prompts.Heads;

/// <summary>Turns the backbone's output into one score vector per row.</summary>
public interface IScoreHead
{
    nn.Module Module { get; }

    /// <summary>Decoder input ids the backbone must read (verbalizer on T5), or null for encoder heads.</summary>
    Tensor? DecoderInputIds(long batch, Device device);

    /// <summary>Scores per row [rows, C] (C = 1 for multiple-choice candidates); <paramref name="mask"/> is the assembled attention mask.</summary>
    Tensor Scores(BackboneOutput output, Tensor mask);
}
