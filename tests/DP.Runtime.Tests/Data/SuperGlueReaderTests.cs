using DP.Runtime.Data;
using DP.Runtime.Data.SuperGlue;
using DP.Runtime.Experiments;
using Xunit;

namespace DP.Runtime.Tests.Data;

public class SuperGlueReaderTests
{
    [Fact]
    public void Rte_reads_fields_labels_and_unlabeled_lines()
    {
        using var dir = new TempDir();
        var path = dir.Write("train.jsonl",
            """{"premise": "The cat sat on the mat.", "hypothesis": "A cat sat.", "label": "entailment", "idx": 3}""",
            "",
            """{"premise": "It rained.", "hypothesis": "It was dry.", "idx": 4}""");
        var records = SuperGlueReader.ReadRte(path);
        Assert.Equal(2, records.Count);
        Assert.Equal("The cat sat on the mat.", records[0].Premise);
        Assert.Equal("entailment", records[0].Label);
        Assert.Equal(3, records[0].Idx);
        Assert.Null(records[1].Label);
        Assert.Equal(3, records[1].Source.Line);
    }

    [Fact]
    public void Missing_field_names_file_line_and_field()
    {
        using var dir = new TempDir();
        var path = dir.Write("val.jsonl",
            """{"premise": "A.", "hypothesis": "B.", "label": "entailment", "idx": 0}""",
            """{"premise": "A.", "label": "entailment", "idx": 1}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadRte(path));
        Assert.Contains(path, e.Message);
        Assert.Contains("line 2", e.Message);
        Assert.Contains("'hypothesis'", e.Message);
    }

    [Fact]
    public void Wrong_label_and_bad_json_are_reported_with_their_line()
    {
        using var dir = new TempDir();
        var rte = dir.Write("rte.jsonl", """{"premise": "A.", "hypothesis": "B.", "label": "maybe", "idx": 0}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadRte(rte));
        Assert.Equal((1, "label"), (e.Line, e.Field));

        var boolq = dir.Write("boolq.jsonl",
            """{"question": "is it", "passage": "It is.", "label": true, "idx": 0}""",
            """{"question": "is it", "passage": "It is.", "label": "sometimes", "idx": 1}""");
        e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadBoolQ(boolq));
        Assert.Equal((2, "label"), (e.Line, e.Field));

        var broken = dir.Write("cb.jsonl", """{"premise": "A.", "hypothesis": "B.", "label": "neutral", "idx": 0}""", """{"premise": "A.""");
        e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadCb(broken));
        Assert.Equal(2, e.Line);
        Assert.Contains("not valid JSON", e.Message);
    }

    [Fact]
    public void BoolQ_and_cb_read_their_labels()
    {
        using var dir = new TempDir();
        var boolq = SuperGlueReader.ReadBoolQ(dir.Write("b.jsonl",
            """{"question": "is water wet", "passage": "Water -- water is wet.", "label": false, "idx": 7}"""));
        Assert.Equal((false, "is water wet"), (boolq[0].Label!.Value, boolq[0].Question));
        var cb = SuperGlueReader.ReadCb(dir.Write("c.jsonl",
            """{"premise": "He left.", "hypothesis": "he stayed", "label": "contradiction", "idx": 2}"""));
        Assert.Equal("contradiction", cb[0].Label);
    }

    [Fact]
    public void Copa_gives_two_candidates_and_the_right_index()
    {
        using var dir = new TempDir();
        var path = dir.Write("copa.jsonl",
            """{"premise": "The glass fell.", "choice1": "It broke.", "choice2": "It sang.", "question": "effect", "label": 0, "idx": 1}""",
            """{"premise": "The road was wet.", "choice1": "The sun shone.", "choice2": "It had rained.", "question": "cause", "label": 1, "idx": 2}""");
        var examples = SuperGlueTasks.Get(SuperGlueTask.COPA).Read(path);
        Assert.Equal(2, examples.Count);
        Assert.All(examples, e => Assert.Equal(2, e.Choices!.Count));
        Assert.Equal("It had rained.", examples[1].Choices![1].Text);
        Assert.Equal(1, examples[1].Answer);
        Assert.Equal("cause", examples[1].Fields["question"]);

        var bad = dir.Write("bad.jsonl",
            """{"premise": "P.", "choice1": "a", "choice2": "b", "question": "why", "label": 0, "idx": 1}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadCopa(bad));
        Assert.Equal("question", e.Field);
    }

    [Fact]
    public void MultiRc_gives_one_record_per_answer_grouped_by_question()
    {
        using var dir = new TempDir();
        var path = dir.Write("multirc.jsonl",
            """{"idx": 5, "version": 1.1, "passage": {"text": "Ann has a dog. Bob has a cat.", "questions": [""" +
            """{"question": "Who has a dog?", "idx": 10, "answers": [{"text": "Ann", "idx": 100, "label": 1}, {"text": "Bob", "idx": 101, "label": 0}]},""" +
            """{"question": "What does Bob have?", "idx": 11, "answers": [{"text": "A cat", "idx": 102, "label": 1}]}]}}""");
        var records = SuperGlueReader.ReadMultiRc(path);
        Assert.Equal(3, records.Count);
        Assert.Equal(["5/10", "5/10", "5/11"], records.Select(r => r.QuestionKey));
        Assert.Equal([true, false, true], records.Select(r => r.Label!.Value));
        Assert.Equal("A cat", records[2].Answer);
        Assert.Equal("Ann has a dog. Bob has a cat.", records[2].Passage);
    }

    [Fact]
    public void MultiRc_nested_error_names_the_nested_field()
    {
        using var dir = new TempDir();
        var path = dir.Write("multirc.jsonl",
            """{"idx": 5, "passage": {"text": "T.", "questions": [{"question": "Q?", "idx": 1, "answers": [{"text": "a", "idx": 1, "label": 1}, {"idx": 2, "label": 0}]}]}}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadMultiRc(path));
        Assert.Equal("passage.questions[0].answers[1].text", e.Field);
        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Record_candidates_come_from_inclusive_entity_spans()
    {
        using var dir = new TempDir();
        // "Paris" = 0..4, "France" = 19..24, "Paris" again = 27..31 (inclusive ends, as in the official files).
        const string text = "Paris is a city in France. Paris is big.";
        var path = dir.Write("record.jsonl",
            $$"""{"source": "test", "idx": 9, "passage": {"text": "{{text}}", "entities": [{"start": 0, "end": 4}, {"start": 19, "end": 24}, {"start": 27, "end": 31}]}, "qas": [{"query": "@placeholder is a country.", "idx": 90, "answers": [{"start": 19, "end": 24, "text": "France"}]}]}""");
        var records = SuperGlueReader.ReadRecord(path);
        var r = Assert.Single(records);
        Assert.Equal(["Paris", "France"], r.Candidates);
        Assert.Equal(["France"], r.Answers);

        var example = Assert.Single(SuperGlueTasks.Get(SuperGlueTask.ReCoRD).Read(path));
        Assert.Equal(1, example.Answer);
        Assert.Equal("France is a country.", example.Choices![1].Fields["query"]);
        Assert.Equal("9/90", example.Group);
    }

    [Fact]
    public void Record_entity_outside_the_passage_is_an_error()
    {
        using var dir = new TempDir();
        var path = dir.Write("record.jsonl",
            """{"idx": 1, "passage": {"text": "Short.", "entities": [{"start": 0, "end": 40}]}, "qas": []}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadRecord(path));
        Assert.Equal("passage.entities[0].end", e.Field);
    }

    [Fact]
    public void Wic_and_wsc_read_words_and_spans()
    {
        using var dir = new TempDir();
        var wic = SuperGlueReader.ReadWic(dir.Write("wic.jsonl",
            """{"word": "run", "sentence1": "I run fast.", "sentence2": "The run was long.", "idx": 1, "label": false, "start1": 2, "end1": 5, "start2": 4, "end2": 7, "version": 1.1}"""));
        Assert.Equal(("run", 2, 7, false), (wic[0].Word, wic[0].Start1, wic[0].End2, wic[0].Label!.Value));

        var wsc = SuperGlueReader.ReadWsc(dir.Write("wsc.jsonl",
            """{"text": "Tom thanked Bob because he helped.", "target": {"span2_index": 4, "span1_index": 2, "span1_text": "Bob", "span2_text": "he"}, "idx": 3, "label": true}"""));
        Assert.Equal(("Bob", 2, "he", 4, true), (wsc[0].Span1Text, wsc[0].Span1Index, wsc[0].Span2Text, wsc[0].Span2Index, wsc[0].Label!.Value));

        var bad = dir.Write("wsc-bad.jsonl", """{"text": "T.", "target": {"span2_index": 4, "span1_index": 2, "span2_text": "he"}, "idx": 3}""");
        var e = Assert.Throws<DataFormatException>(() => SuperGlueReader.ReadWsc(bad));
        Assert.Equal("target.span1_text", e.Field);
    }
}
