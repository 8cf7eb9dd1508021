using DP.Runtime.Devices;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace DP.Runtime.Backbones.Bert;

// Field names are the Hugging Face state-dict names; do not rename them.
#pragma warning disable IDE1006, CS8981

/// <summary>The pre-trained parts beside the encoder that a checkpoint may carry; a <see cref="BertModel"/> has those it was built with.</summary>
[Flags]
public enum BertParts
{
    None = 0,
    /// <summary>pooler.*: transformers' BertPooler (BertModel, BertForSequenceClassification checkpoints).</summary>
    Pooler = 1,
    /// <summary>cls.predictions.*: transformers' masked-LM head (BertForMaskedLM, BertForPreTraining checkpoints).</summary>
    MaskedLm = 2,
}

/// <summary>pooler.*: tanh(dense(h[CLS])), as transformers' BertPooler computes BERT's pooled output.</summary>
public sealed class BertPooler : nn.Module
{
    public readonly Linear dense;

    public BertPooler(BertConfig c) : base("pooler")
    {
        dense = nn.Linear(c.HiddenSize, c.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">The last hidden state [B, L, d]; its first row is [CLS].</param>
    public Tensor Forward(Tensor hidden) => torch.tanh(dense.forward(hidden[.., 0]));
}

/// <summary>cls.predictions.transform.*: dense, the config's activation (GELU), LayerNorm — transformers' BertPredictionHeadTransform.</summary>
public sealed class BertPredictionHeadTransform : nn.Module
{
    public readonly Linear dense;
    public readonly LayerNorm LayerNorm;

    public BertPredictionHeadTransform(BertConfig c) : base("transform")
    {
        // BertIntermediate rejects every hidden_act but GELU, so this is the config's activation.
        dense = nn.Linear(c.HiddenSize, c.HiddenSize);
        LayerNorm = nn.LayerNorm(c.HiddenSize, eps: c.LayerNormEps);
        RegisterComponents();
    }

    public Tensor Forward(Tensor x) => MetaFallback.Normalize(LayerNorm, nn.functional.gelu(dense.forward(x)));
}

/// <summary>
/// cls.predictions.*: the transform, then the decoder — the word embedding table when the config ties them
/// (transformers' default; a checkpoint's cls.predictions.decoder.weight is then a copy of it), else a matrix of its
/// own — plus cls.predictions.bias (which transformers also saves as cls.predictions.decoder.bias).
/// </summary>
public sealed class BertLmPredictionHead : nn.Module
{
    public readonly BertPredictionHeadTransform transform;
    public readonly Linear? decoder;
    public readonly Parameter bias;

    public BertLmPredictionHead(BertConfig c) : base("predictions")
    {
        transform = new BertPredictionHeadTransform(c);
        if (!c.TieWordEmbeddings) decoder = nn.Linear(c.HiddenSize, c.VocabSize, hasBias: false);
        bias = new Parameter(torch.zeros(c.VocabSize));
        RegisterComponents();
    }

    /// <summary>Logits [N, K] of the vocabulary rows <paramref name="tokenIds"/> [K] (all rows when null) for hidden states [N, d].</summary>
    public Tensor Logits(Tensor hidden, Tensor wordEmbeddings, Tensor? tokenIds)
    {
        var h = transform.Forward(hidden);
        Tensor weight = decoder?.weight ?? wordEmbeddings, b = bias;
        // Only the label words' rows: the same dot products as the full vocabulary projection, without computing it.
        if (tokenIds is not null) (weight, b) = (MetaFallback.IndexSelect(weight, 0, tokenIds), MetaFallback.IndexSelect(b, 0, tokenIds));
        return nn.functional.linear(h, weight, b);
    }
}

/// <summary>cls.*: transformers' BertOnlyMLMHead (the NSP part of BertForPreTraining's cls.* is not read).</summary>
public sealed class BertOnlyMlmHead : nn.Module
{
    public readonly BertLmPredictionHead predictions;

    public BertOnlyMlmHead(BertConfig c) : base("cls")
    {
        predictions = new BertLmPredictionHead(c);
        RegisterComponents();
    }
}
#pragma warning restore IDE1006, CS8981
