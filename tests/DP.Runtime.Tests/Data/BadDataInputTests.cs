using System.Text;
using DP.Runtime.Data;
using DP.Runtime.Data.Loading;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

/// <summary>Data files that are broken in ways once accepted silently (issue 15, items 11, 12 and 15).</summary>
public class BadDataInputTests
{
    static TaskOptions Rte(string dir) => new() { Kind = DataKind.SuperGlue, SuperGlue = SuperGlueTask.RTE, DataDir = dir, PadToMultipleOf = 1 };

    static TaskOptions Custom(string dir, DataFormat format) => new()
    {
        Kind = DataKind.Custom,
        DataDir = dir,
        Format = format,
        TrainFile = format == DataFormat.Csv ? "train.csv" : "train.jsonl",
        ValidationFile = format == DataFormat.Csv ? "val.csv" : "val.jsonl",
        Fields = ["text"],
        Labels = [new("pos", "good"), new("neg", "bad")],
    };

    // Writes the lines as UTF-8, with the bytes FF FE inserted into line `badLine` (1-based) after `afterText`.
    static void WriteWithBadBytes(string path, string[] lines, int badLine, string afterText)
    {
        var bytes = new List<byte>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (i + 1 == badLine)
            {
                var at = line.IndexOf(afterText, StringComparison.Ordinal) + afterText.Length;
                bytes.AddRange(Encoding.UTF8.GetBytes(line[..at]));
                bytes.AddRange([0xFF, 0xFE]);
                bytes.AddRange(Encoding.UTF8.GetBytes(line[at..]));
            }
            else bytes.AddRange(Encoding.UTF8.GetBytes(line));
            bytes.Add((byte)'\n');
        }
        File.WriteAllBytes(path, bytes.ToArray());
    }

    [Fact]
    public void Invalid_utf8_in_a_superglue_jsonl_line_is_an_error_at_its_line()
    {
        using var dir = new TempDir();
        var lines = DataFixtures.RteLines(40);
        WriteWithBadBytes(Path.Combine(dir.Path, "train.jsonl"), lines, 33, "\"premise\":\"");
        dir.Write("val.jsonl", DataFixtures.RteLines(4));

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Rte(dir.Path), new TestTokenizer(), 4, 4, 1));
        Assert.EndsWith("train.jsonl", e.File);
        Assert.Equal(33, e.Line);
        Assert.Contains("UTF-8", e.Message);
    }

    [Theory]
    [InlineData(DataFormat.Jsonl)]
    [InlineData(DataFormat.Csv)]
    public void Invalid_utf8_in_a_custom_data_file_is_an_error_at_its_line(DataFormat format)
    {
        using var dir = new TempDir();
        string[] train = format == DataFormat.Csv
            ? ["text,label", "a fine day,pos", "a bad day,neg", "a good film,pos"]
            : ["""{"text": "a fine day", "label": "pos"}""", """{"text": "a bad day", "label": "neg"}""", """{"text": "a good film", "label": "pos"}"""];
        var name = format == DataFormat.Csv ? "train.csv" : "train.jsonl";
        WriteWithBadBytes(Path.Combine(dir.Path, name), train, format == DataFormat.Csv ? 3 : 2, "a b");
        dir.Write(format == DataFormat.Csv ? "val.csv" : "val.jsonl", train);

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Custom(dir.Path, format), new TestTokenizer(), 4, 4, 1));
        Assert.EndsWith(name, e.File);
        Assert.Equal(format == DataFormat.Csv ? 3 : 2, e.Line);
        Assert.Contains("UTF-8", e.Message);
    }

    [Fact]
    public void A_validation_row_without_a_label_fails_at_load_with_file_line_and_field()
    {
        using var dir = new TempDir();
        dir.Write("train.jsonl", DataFixtures.RteLines(6));
        var validation = DataFixtures.RteLines(5);
        validation[3] = DataFixtures.RteLines(5, labeled: false)[3];
        dir.Write("val.jsonl", validation);

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Rte(dir.Path), new TestTokenizer(), 4, 4, 1));
        Assert.EndsWith("val.jsonl", e.File);
        Assert.Equal(4, e.Line);
        Assert.Equal("label", e.Field);
        Assert.Contains("validation", e.Message);
    }

    [Fact]
    public void A_custom_validation_row_with_an_empty_label_fails_at_load()
    {
        using var dir = new TempDir();
        dir.Write("train.csv", "text,label", "a fine day,pos", "a bad day,neg");
        dir.Write("val.csv", "text,label", "a fine day,pos", "a so-so day,");

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Custom(dir.Path, DataFormat.Csv), new TestTokenizer(), 4, 4, 1));
        Assert.EndsWith("val.csv", e.File);
        Assert.Equal(3, e.Line);
        Assert.Equal("label", e.Field);
    }

    [Fact]
    public void A_csv_header_error_names_the_missing_field_but_echoes_nothing_else_of_the_file()
    {
        using var dir = new TempDir();
        // Pointed at a file that is no CSV of ours: its first line must not appear in the message.
        dir.Write("train.csv", "root:x:0:0:secret-token-1234:/root:/bin/bash,other", "a,b");
        dir.Write("val.csv", "text,label", "a,pos");

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Custom(dir.Path, DataFormat.Csv), new TestTokenizer(), 4, 4, 1));
        Assert.Equal("text", e.Field);
        Assert.Equal(1, e.Line);
        Assert.DoesNotContain("secret", e.Message);
        Assert.DoesNotContain("other", e.Message);
    }

    [Fact]
    public void A_csv_header_error_suggests_a_column_whose_name_is_close()
    {
        using var dir = new TempDir();
        dir.Write("train.csv", "Text,label", "a,pos");
        dir.Write("val.csv", "text,label", "a,pos");

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Custom(dir.Path, DataFormat.Csv), new TestTokenizer(), 4, 4, 1));
        Assert.Contains("'Text'", e.Message);
    }

    [Fact]
    public void A_malformed_csv_record_error_does_not_echo_the_record()
    {
        using var dir = new TempDir();
        dir.Write("train.csv", "text,label", "\"secret-value-5678 unclosed,pos", "b,neg");
        dir.Write("val.csv", "text,label", "a,pos");

        var e = Assert.Throws<DataFormatException>(() => TaskDataLoader.Load(Custom(dir.Path, DataFormat.Csv), new TestTokenizer(), 4, 4, 1));
        Assert.DoesNotContain("secret", e.Message);
    }
}
