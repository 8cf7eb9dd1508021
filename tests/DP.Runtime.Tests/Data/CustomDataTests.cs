using DP.Runtime.Data;
using DP.Runtime.Data.Batching;
using DP.Runtime.Data.Custom;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class CustomDataTests
{
    static TaskOptions Custom(string dir, DataFormat format, string ext) => new()
    {
        Kind = DataKind.Custom,
        DataDir = dir,
        Format = format,
        TrainFile = "train." + ext,
        ValidationFile = "val." + ext,
        Fields = ["review", "product"],
        LabelField = "sentiment",
        Template = "Review of {product}: {review} Sentiment: {mask}",
        Labels = [new("neg", "bad"), new("pos", "good"), new("mixed", "okay")],
    };

    [Fact]
    public void Jsonl_with_named_fields_template_and_label_map()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl",
            """{"review": "Works well.", "product": "kettle", "sentiment": "pos"}""",
            """{"review": "Broke at once.", "product": "lamp", "sentiment": "neg"}""",
            """{"review": "Fine, loud.", "product": "fan", "sentiment": "mixed"}""");
        dir.Write("val.jsonl", """{"review": "Great.", "product": "mug", "sentiment": "pos"}""");
        var tokenizer = new TestTokenizer();
        var data = TaskDataLoader.Load(Custom(dir.Path, DataFormat.Jsonl, "jsonl"), tokenizer, 8, 8, 1);

        Assert.Equal(["neg", "pos", "mixed"], data.Info.LabelNames);
        Assert.Equal(["bad", "good", "okay"], data.Info.LabelWords);
        Assert.Equal(["accuracy", "macro_f1"], data.Info.Metrics);
        var examples = ((BatchList)data.Validation.Batches).Plan[0];
        var single = Assert.Single(examples);
        Assert.Equal(1, single.Label);
        Assert.Equal(tokenizer.Encode("Review of mug: Great. Sentiment: [MASK]").Ids, single.Ids[0]);
        Assert.Contains(4, single.Ids[0]); // the tokenizer's mask id
    }

    [Fact]
    public void A_training_set_with_one_class_is_reported_and_one_with_several_is_not()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl",
            """{"review": "Works well.", "product": "kettle", "sentiment": "pos"}""",
            """{"review": "Lovely.", "product": "lamp", "sentiment": "pos"}""");
        dir.Write("val.jsonl", """{"review": "Broke.", "product": "mug", "sentiment": "neg"}""");
        var oneClass = TaskDataLoader.Load(Custom(dir.Path, DataFormat.Jsonl, "jsonl"), new TestTokenizer(), 8, 8, 1);
        var warning = Assert.Single(oneClass.Info.Warnings);
        Assert.Contains("train.jsonl", warning);
        Assert.Contains("all 2 training examples have the label 'pos'", warning);

        dir.Write("train.jsonl",
            """{"review": "Works well.", "product": "kettle", "sentiment": "pos"}""",
            """{"review": "Broke at once.", "product": "lamp", "sentiment": "neg"}""");
        var twoClasses = TaskDataLoader.Load(Custom(dir.Path, DataFormat.Jsonl, "jsonl"), new TestTokenizer(), 8, 8, 1);
        Assert.Empty(twoClasses.Info.Warnings);
    }

    [Fact]
    public void Csv_with_quotes_and_a_header()
    {
        using var dir = new TempDir();
        dir.Write("train.csv", "review,product,sentiment", "\"Good, really good\",kettle,pos", "Bad,lamp,neg");
        dir.Write("val.csv", "product,review,sentiment", "mug,\"He said \"\"ok\"\"\",mixed");
        var options = Custom(dir.Path, DataFormat.Csv, "csv");
        options.Template = "{review} [SEP] {product}";
        var tokenizer = new TestTokenizer();
        var data = TaskDataLoader.Load(options, tokenizer, 8, 8, 1);
        var val = Assert.Single(((BatchList)data.Validation.Batches).Plan[0]);
        Assert.Equal(2, val.Label);
        Assert.Equal(tokenizer.Encode("He said \"ok\"", "mug").Ids, val.Ids[0]);

        var rows = CustomDataReader.Read(Path.Combine(dir.Path, "train.csv"), DataFormat.Csv, ["review", "product"], "sentiment");
        Assert.Equal("Good, really good", rows[0].Fields["review"]);
        Assert.Equal(3, rows[1].Source.Line);
    }

    [Fact]
    public void Csv_missing_column_or_short_row_names_file_line_and_field()
    {
        using var dir = new TempDir();
        var noColumn = dir.Write("a.csv", "review,sentiment", "x,pos");
        var e = Assert.Throws<DataFormatException>(() => CustomDataReader.Read(noColumn, DataFormat.Csv, ["review", "product"], "sentiment"));
        Assert.Equal((noColumn, 1, "product"), (e.File, e.Line, e.Field));

        var shortRow = dir.Write("b.csv", "review,product,sentiment", "x,kettle,pos", "y");
        e = Assert.Throws<DataFormatException>(() => CustomDataReader.Read(shortRow, DataFormat.Csv, ["review", "product"], "sentiment"));
        Assert.Equal(shortRow, e.File);
        Assert.Equal(3, e.Line);
    }

    [Fact]
    public void Jsonl_missing_field_is_reported()
    {
        using var dir = new TempDir();
        var path = dir.Write("t.jsonl", """{"review": "ok", "product": "x", "sentiment": "pos"}""", """{"review": "ok", "sentiment": "pos"}""");
        var e = Assert.Throws<DataFormatException>(() => CustomDataReader.Read(path, DataFormat.Jsonl, ["review", "product"], "sentiment"));
        Assert.Equal((2, "product"), (e.Line, e.Field));
    }

    [Fact]
    public void Without_label_words_the_classes_are_the_sorted_label_values()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", """{"text": "a", "label": "spam"}""", """{"text": "b", "label": "ham"}""", """{"text": "c", "label": 1}""");
        dir.Write("val.jsonl", """{"text": "d", "label": "ham"}""");
        var options = new TaskOptions { Kind = DataKind.Custom, DataDir = dir.Path, Fields = ["text"] };
        var data = TaskDataLoader.Load(options, new TestTokenizer(), 2, 2, 1);
        Assert.Equal(["1", "ham", "spam"], data.Info.LabelNames);
        Assert.Equal(data.Info.LabelNames, data.Info.LabelWords);
    }
}

public class CsvMalformedTests
{
    [Fact]
    public void Bad_quoting_is_reported_with_file_and_line()
    {
        using var dir = new TempDir();
        var path = dir.Write("bad.csv", "review,product,sentiment", "fine,kettle,pos", "\"broken \"quote\" here,lamp,neg", "ok,fan,pos");
        var e = Record.Exception(() => CustomDataReader.Read(path, DataFormat.Csv, ["review", "product"], "sentiment"));
        var error = Assert.IsType<DataFormatException>(e);
        Assert.Equal(path, error.File);
        Assert.Equal(3, error.Line);
    }
}
