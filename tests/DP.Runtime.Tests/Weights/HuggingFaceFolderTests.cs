using DP.Runtime.Backbones;
using DP.Runtime.Backbones.Bert;
using DP.Runtime.Backbones.T5;
using DP.Runtime.Tests.T5;
using DP.Runtime.Tokenization;
using DP.Runtime.Weights;
using DP.Runtime.Weights.HuggingFace;
using TorchSharp;
using TorchSharp.PyBridge;
using Xunit;
using static TorchSharp.torch;

namespace DP.Runtime.Tests.Weights;

public sealed class HuggingFaceFolderTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("dp-hf-folder").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static readonly BertConfig TinyBert = new()
    {
        VocabSize = 50, HiddenSize = 16, NumHiddenLayers = 2, NumAttentionHeads = 4, IntermediateSize = 32, MaxPositionEmbeddings = 64,
    };

    private static T5Model RandomT5(T5Config? config = null, int seed = 11)
    {
        using var weights = new Generator((ulong)seed); // not torch's default generator, which parallel tests share
        var model = new T5Model(config ?? T5TestConfigs.Tiny, weights);
        model.eval();
        return model;
    }

    private static BertModel RandomBert(int seed = 3, BertParts parts = BertParts.None)
    {
        var model = new BertModel(TinyBert, parts);
        Prompts.PromptTestKit.Reinitialise(model, seed);
        return model;
    }

    private static BackboneInput T5Input(IPromptableBackbone model)
    {
        var ids = torch.tensor(new long[] { 5, 6, 7, 1, 9, 10, 1, 0 }, 2, 4);
        return new BackboneInput(model.EmbedTokens(ids), torch.tensor(new float[] { 1, 1, 1, 1, 1, 1, 1, 0 }, 2, 4),
            DecoderInputIds: torch.tensor(new long[] { 0, 3, 4, 0, 5, 6 }, 2, 3));
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static void AssertSameState(nn.Module expected, nn.Module actual)
    {
        var a = expected.state_dict();
        var b = actual.state_dict();
        Assert.Equal(a.Keys.Order(), b.Keys.Order());
        foreach (var (name, tensor) in a)
        {
            Assert.Equal(tensor.dtype, b[name].dtype);
            Assert.True(Same(tensor, b[name]), $"{name} differs after reload");
        }
    }

    /// <summary>Rewrites model.safetensors through a change of its state dict.</summary>
    private void EditWeights(Action<Dictionary<string, Tensor>> edit)
    {
        var path = Path.Combine(_folder, "model.safetensors");
        var state = Safetensors.LoadStateDict(path);
        edit(state);
        using var stream = File.Create(path);
        Safetensors.SaveStateDict(stream, state);
    }

    [Fact]
    public void RandomT5SavedAsFolderReloadsExactly()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        Assert.True(File.Exists(Path.Combine(_folder, "config.json")));
        Assert.True(File.Exists(Path.Combine(_folder, "model.safetensors")));

        var loaded = HuggingFaceFolder.LoadBackbone(_folder);
        var t5 = Assert.IsType<T5Model>(loaded);
        Assert.Equal(model.Config, t5.Config);
        Assert.Equal(BackboneKind.EncoderDecoder, loaded.Kind);
        AssertSameState(model, t5);
        var expected = model.Forward(T5Input(model));
        var actual = loaded.Forward(T5Input(loaded));
        Assert.True(Same(expected.LastHiddenState, actual.LastHiddenState));
        Assert.True(Same(expected.DecoderLogits!, actual.DecoderLogits!));
        t5.Dispose();
    }

    [Fact]
    public void TiedT5WithTransformersAliasesLoads()
    {
        // transformers writes shared.weight, may add encoder/decoder.embed_tokens.weight aliases and an lm_head copy.
        using var model = RandomT5(T5TestConfigs.TinyTied);
        HuggingFaceFolder.Save(model, _folder);
        EditWeights(state =>
        {
            var shared = state["shared.weight"];
            state.Remove("shared.weight");
            state["encoder.embed_tokens.weight"] = shared; // only the alias left: it must fill shared.weight
            state["decoder.embed_tokens.weight"] = shared.clone();
            state["lm_head.weight"] = shared.clone();
        });
        using var loaded = (T5Model)HuggingFaceFolder.LoadBackbone(_folder);
        AssertSameState(model, loaded);
    }

    [Fact]
    public void ShardedSafetensorsReloadExactly()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder, maxShardBytes: 8_000);
        var shards = Directory.GetFiles(_folder, "model-*-of-*.safetensors");
        Assert.True(shards.Length > 1, "expected several shards");
        Assert.False(File.Exists(Path.Combine(_folder, "model.safetensors")));
        Assert.True(File.Exists(Path.Combine(_folder, "model.safetensors.index.json")));
        using var loaded = (T5Model)HuggingFaceFolder.LoadBackbone(_folder);
        AssertSameState(model, loaded);
    }

    [Fact]
    public void ShardMissingATensorTheIndexListsIsReported()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder, maxShardBytes: 8_000);
        var shard = Directory.GetFiles(_folder, "model-*-of-*.safetensors").Order().Last();
        var state = Safetensors.LoadStateDict(shard);
        var dropped = state.Keys.First();
        state.Remove(dropped);
        using (var stream = File.Create(shard)) Safetensors.SaveStateDict(stream, state);

        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        var problem = Assert.Single(error.Missing);
        Assert.Equal(dropped, problem.Name);
        Assert.Equal(Path.GetFileName(shard), problem.File);
        Assert.Contains(dropped, error.Message);
        Assert.Contains("listed in the index but absent from the shard", error.Message);
    }

    [Fact]
    public void PytorchBinCheckpointLoads()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        File.Delete(Path.Combine(_folder, "model.safetensors"));
        model.save_py(Path.Combine(_folder, "pytorch_model.bin"));
        using var loaded = (T5Model)HuggingFaceFolder.LoadBackbone(_folder);
        AssertSameState(model, loaded);
    }

    [Fact]
    public void Bfloat16FolderLoadsIntoRequestedDtype()
    {
        using var model = RandomT5();
        model.SetComputeDType(ScalarType.BFloat16);
        HuggingFaceFolder.Save(model, _folder);
        Assert.Contains("\"bfloat16\"", File.ReadAllText(Path.Combine(_folder, "config.json")));
        using var asFloat = (T5Model)HuggingFaceFolder.LoadBackbone(_folder, ScalarType.Float32);
        Assert.Equal(ScalarType.Float32, asFloat.shared.weight!.dtype);
        Assert.True(Same(asFloat.shared.weight.to(ScalarType.BFloat16), model.shared.weight!));
        using var asBf16 = (T5Model)HuggingFaceFolder.LoadBackbone(_folder, ScalarType.BFloat16);
        AssertSameState(model, asBf16);
    }

    [Fact]
    public void RenamedT5TensorIsNamedInTheError()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        const string name = "encoder.block.1.layer.1.DenseReluDense.wi_0.weight";
        EditWeights(state =>
        {
            state["encoder.block.1.layer.1.DenseReluDense.wi_zero.weight"] = state[name];
            state.Remove(name);
        });
        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Equal(name, Assert.Single(error.Missing).Name);
        Assert.Equal("encoder.block.1.layer.1.DenseReluDense.wi_zero.weight", Assert.Single(error.Unexpected).Name);
        WeightLoadException general = error; // one exception type for every weight loader
        Assert.Equal(name, general.TensorName);
        Assert.Equal(_folder, general.ModelSource);
        Assert.Empty(error.Misshaped);
        Assert.Contains(name, error.Message);
        Assert.Contains("wi_zero", error.Message);
        Assert.Contains("model.safetensors", error.Message);
    }

    [Fact]
    public void MisshapedT5TensorIsNamedWithBothShapes()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        const string name = "decoder.block.0.layer.0.SelfAttention.relative_attention_bias.weight";
        EditWeights(state => state[name] = torch.zeros(16, 3));
        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        var problem = Assert.Single(error.Misshaped);
        Assert.Equal(name, problem.Name);
        Assert.Equal("model.safetensors", problem.File);
        Assert.Empty(error.Missing);
        Assert.Contains("expects [8, 3]", error.Message);
        Assert.Contains("holds [16, 3]", error.Message);
    }

    [Fact]
    public void ConfigThatDisagreesWithWeightsIsReported()
    {
        // d_ff in config.json changed after saving: every feed-forward matrix is the wrong shape.
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        var configPath = Path.Combine(_folder, "config.json");
        File.WriteAllText(configPath, File.ReadAllText(configPath).Replace("\"d_ff\": 24", "\"d_ff\": 20"));
        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Equal(15, error.Misshaped.Count); // 3 matrices × (2 encoder + 3 decoder) blocks
    }

    [Fact]
    public void BertFolderReloadsExactly()
    {
        using var model = RandomBert();
        model.eval();
        HuggingFaceFolder.Save(model, _folder);
        using var loaded = (BertModel)HuggingFaceFolder.LoadBackbone(_folder);
        AssertSameState(model, loaded);
        var ids = torch.tensor(new long[] { 1, 5, 7, 2 }).unsqueeze(0);
        var a = model.Forward(new BackboneInput(model.EmbedTokens(ids), torch.ones(1, 4))).LastHiddenState;
        var b = loaded.Forward(new BackboneInput(loaded.EmbedTokens(ids), torch.ones(1, 4))).LastHiddenState;
        Assert.True(Same(a, b));
    }

    /// <summary>
    /// A BertForPreTraining checkpoint: bert.* names, the pooler and the masked-LM head load into the model's parts
    /// (issue 13 items 6 and 10); the NSP head, the tied decoder copy and old TensorFlow names are handled as transformers does.
    /// </summary>
    [Fact]
    public void BertForPreTrainingCheckpointLoadsItsPoolerAndMaskedLmHead()
    {
        using var model = RandomBert(parts: BertParts.Pooler | BertParts.MaskedLm);
        HuggingFaceFolder.Save(model, _folder);
        EditWeights(state =>
        {
            Assert.Contains("bert.pooler.dense.weight", state.Keys); // saved in BertForMaskedLM's layout
            Assert.Contains("cls.predictions.bias", state.Keys);
            state["cls.predictions.decoder.weight"] = state["bert.embeddings.word_embeddings.weight"];
            state["cls.seq_relationship.weight"] = torch.zeros(2, 16);
            // An old TensorFlow-converted name.
            state["bert.embeddings.LayerNorm.gamma"] = state["bert.embeddings.LayerNorm.weight"];
            state.Remove("bert.embeddings.LayerNorm.weight");
        });
        File.WriteAllText(Path.Combine(_folder, "vocab.txt"), string.Join("\n", ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "hello", "world"]));
        var loaded = HuggingFaceFolder.Load(_folder);
        Assert.Equal(BertParts.Pooler | BertParts.MaskedLm, ((BertModel)loaded.Backbone).Parts);
        AssertSameState(model, loaded.Backbone.Module);
        Assert.Contains("cls.seq_relationship.weight", loaded.LoadReport.Unused);
        Assert.Contains("cls.predictions.decoder.weight", loaded.LoadReport.Unused);
        Assert.Contains("embeddings.LayerNorm.weight", loaded.LoadReport.Loaded);
        Assert.Equal([2, 5, 6, 3], loaded.Tokenizer.Encode("Hello world").Ids);
        loaded.Backbone.Module.Dispose();
    }

    /// <summary>The parts are found from the tensor names of every checkpoint format: shards' index, safetensors header, pickle.</summary>
    [Theory]
    [InlineData("sharded")]
    [InlineData("pickle")]
    public void BertPartsAreFoundInEveryCheckpointFormat(string format)
    {
        using var model = RandomBert(parts: BertParts.Pooler);
        HuggingFaceFolder.Save(model, _folder, maxShardBytes: format == "sharded" ? 8_000 : null);
        if (format == "pickle")
        {
            File.Delete(Path.Combine(_folder, "model.safetensors"));
            model.save_py(Path.Combine(_folder, "pytorch_model.bin"));
        }
        using var loaded = (BertModel)HuggingFaceFolder.LoadBackbone(_folder);
        Assert.Equal(BertParts.Pooler, loaded.Parts);
        AssertSameState(model, loaded);
    }

    [Fact]
    public void APartialMaskedLmHeadIsAMismatchNamingWhatIsMissing()
    {
        using var model = RandomBert();
        HuggingFaceFolder.Save(model, _folder);
        EditWeights(state => state["cls.predictions.bias"] = torch.zeros(50));
        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Contains(error.Missing, p => p.Name == "cls.predictions.transform.dense.weight");
    }

    [Fact]
    public void T5FolderLoadsWithItsTokenizer()
    {
        using var model = RandomT5();
        HuggingFaceFolder.Save(model, _folder);
        var original = Path.Combine(_folder, "original");
        Directory.CreateDirectory(original);
        File.Copy(T5TokenizerTests.ModelPath, Path.Combine(original, "spiece.model"));
        Assert.Equal(["spiece.model"], HuggingFaceFolder.CopyTokenizerFiles(original, _folder));
        var empty = Directory.CreateDirectory(Path.Combine(_folder, "empty")).FullName;
        Assert.Throws<FileNotFoundException>(() => HuggingFaceFolder.CopyTokenizerFiles(empty, Path.Combine(_folder, "other")));
        var loaded = HuggingFaceFolder.Load(_folder);
        Assert.IsType<SentencePieceT5Tokenizer>(loaded.Tokenizer);
        Assert.Equal([145, 1], loaded.Tokenizer.Encode("no").Ids);
        Assert.Empty(loaded.LoadReport.Unused);
        Assert.Equal(model.state_dict().Count, loaded.LoadReport.Loaded.Count);
        loaded.Backbone.Module.Dispose();
    }

    [Fact]
    public void RenamedOrMisshapedBertTensorIsNamedInTheError()
    {
        using var model = RandomBert();
        HuggingFaceFolder.Save(model, _folder);
        EditWeights(state =>
        {
            state["encoder.layer.0.attention.self.qury.weight"] = state["encoder.layer.0.attention.self.query.weight"];
            state.Remove("encoder.layer.0.attention.self.query.weight");
            state["embeddings.position_embeddings.weight"] = torch.zeros(32, 16);
        });
        var error = Assert.Throws<CheckpointMismatchException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Equal("encoder.layer.0.attention.self.query.weight", Assert.Single(error.Missing).Name);
        Assert.Equal("encoder.layer.0.attention.self.qury.weight", Assert.Single(error.Unexpected).Name);
        Assert.Equal("embeddings.position_embeddings.weight", Assert.Single(error.Misshaped).Name);
        Assert.Contains("expects [64, 16]", error.Message);
        Assert.Contains("holds [32, 16]", error.Message);
    }

    [Fact]
    public void UnknownModelTypeNamesConfigAndField()
    {
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{ "model_type": "gpt2" }""");
        var error = Assert.Throws<NotSupportedException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Contains("config.json", error.Message);
        Assert.Contains("model_type", error.Message);
        Assert.Contains("gpt2", error.Message);
    }

    [Fact]
    public void MissingConfigOrWeightsAreClearErrors()
    {
        Assert.Contains("config.json", Assert.Throws<FileNotFoundException>(() => HuggingFaceFolder.LoadBackbone(_folder)).Message);
        File.WriteAllText(Path.Combine(_folder, "config.json"), """{ "model_type": "t5", "d_model": 16, "d_kv": 4, "d_ff": 8, "num_layers": 1, "num_heads": 2, "vocab_size": 10 }""");
        var error = Assert.Throws<FileNotFoundException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Contains("model.safetensors", error.Message);
        File.WriteAllText(Path.Combine(_folder, "config.json"), "{ \"model_type\": \"t5\",\n  \"d_model\": [1] }");
        var bad = Assert.Throws<InvalidDataException>(() => HuggingFaceFolder.LoadBackbone(_folder));
        Assert.Contains("config.json: line 2", bad.Message);
        Assert.Contains("d_model", bad.Message);
    }
}
