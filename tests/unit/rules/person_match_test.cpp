// same_person() / same_name(): the spellings, orders and date formats one person is
// recorded under agree; namesakes, twins and short different names do not (person_match.h).
#include "rules/person_match.h"

#include <gtest/gtest.h>

#include "rules/ascii_fold.h"
#include "rules/birth_date.h"

using namespace probity::rules;

namespace {
constexpr std::string_view kDob = "1985-03-07";
bool person(std::string_view a, std::string_view b) { return same_person(a, kDob, b, kDob); }
}  // namespace

TEST(AsciiFold, AccentsLigaturesAndApostrophes) {
  EXPECT_EQ(fold_to_ascii("Renée Müller-Łukasz"), "RENEE MULLER-LUKASZ");
  EXPECT_EQ(fold_to_ascii("Strauß Øvergård"), "STRAUSS OVERGARD");
  EXPECT_EQ(fold_to_ascii("O’Brien d'Arcy"), "OBRIEN DARCY");
  EXPECT_EQ(fold_to_ascii("Æsa Œuvre"), "AESA OEUVRE");
  EXPECT_EQ(fold_to_ascii("Zoë\xff"), "ZOE ");
}

TEST(BirthDate, WrittenFormsAgree) {
  const BirthDate d{1985, 3, 7};
  for (std::string_view text :
       {"1985-03-07", "1985/3/7", "19850307", "07/03/1985", "7/3/1985", "07.03.1985", "07-03-1985",
        "7 Mar 1985", "7th March 1985", "March 7, 1985", "07-MAR-1985", "1985-03-07T00:00:00Z",
        " 7 march 1985 "})
    EXPECT_EQ(parse_birth_date(text), d) << text;
}

TEST(BirthDate, AmbiguousOrImpossibleGiveNone) {
  for (std::string_view text :
       {"", "07/03/85", "31/02/1985", "1985-13-01", "29/02/1985", "7 Smarch 1985", "1985"})
    EXPECT_FALSE(parse_birth_date(text)) << text;
  EXPECT_EQ(parse_birth_date("29/02/1984"), (BirthDate{1984, 2, 29}));
}

TEST(SameWord, TransliterationsAgree) {
  EXPECT_TRUE(same_word("MOHAMMED", "MUHAMMAD"));
  EXPECT_TRUE(same_word("MOHAMED", "MUHAMMAD"));
  EXPECT_TRUE(same_word("ALEKSANDR", "ALEXANDER"));
  EXPECT_TRUE(same_word("YUSUF", "YOUSSEF"));
  EXPECT_TRUE(same_word("CATHERINE", "KATHERINE"));
  EXPECT_TRUE(same_word("KATHRYN", "CATHERINE"));
  EXPECT_TRUE(same_word("STEPHEN", "STEVEN"));
  EXPECT_TRUE(same_word("MIKHAIL", "MICHAEL"));
  EXPECT_TRUE(same_word("SMITH", "SMYTH"));
  EXPECT_TRUE(same_word("JOHN", "JON"));
  EXPECT_TRUE(same_word("SARAH", "SARA"));
  EXPECT_TRUE(same_word("MACDONALD", "MCDONALD"));
}

TEST(SameWord, ShortOrGenderedDifferentNamesDoNot) {
  EXPECT_FALSE(same_word("ANN", "IAN"));
  EXPECT_FALSE(same_word("JON", "JOAN"));
  EXPECT_FALSE(same_word("PAUL", "PAULA"));
  EXPECT_FALSE(same_word("DANIEL", "DANIELLE"));
  EXPECT_FALSE(same_word("LOUIS", "LOUISE"));
  EXPECT_FALSE(same_word("EMILY", "AMELIA"));
  EXPECT_FALSE(same_word("MARK", "MARIO"));
  EXPECT_FALSE(same_word("SMITH", "SMALL"));
  EXPECT_FALSE(same_word("JOHNSON", "JACKSON"));
  EXPECT_FALSE(same_word("", ""));
  EXPECT_FALSE(same_word("123", "456"));
}

TEST(SamePerson, OrderTitlesPunctuationAndAccents) {
  EXPECT_TRUE(person("O'Brien, Seán", "SEAN OBRIEN"));
  EXPECT_TRUE(person("Mr Sean O Brien", "OBRIEN, Sean"));
  EXPECT_TRUE(person("OBRIEN SEAN", "Dr Seán O’Brien"));
  EXPECT_TRUE(person("Zoë Müller", "ZOE MULLER"));
  EXPECT_TRUE(person("Jürgen Strauß", "Jurgen Strauss"));
  EXPECT_TRUE(person("Paweł Wałęsa", "PAWEL WALESA"));
  EXPECT_TRUE(person("Anna De Souza", "DE SOUZA, Anna"));
  EXPECT_TRUE(person("Ali Al-Hassan", "Ali Al Hassan"));
}

TEST(SamePerson, TransliteratedNames) {
  EXPECT_TRUE(person("Mohammed Khan", "Muhammad Khan"));
  EXPECT_TRUE(person("Yusuf Ahmed", "AHMED, Youssef"));
  EXPECT_TRUE(person("Aleksandr Petrov", "Alexander Petrov"));
  EXPECT_TRUE(person("Katherine Hale", "Catherine Hale"));
  EXPECT_TRUE(person("Stephen Ward", "Steven Ward"));
}

TEST(SamePerson, DoubleBarrelledSurnames) {
  EXPECT_TRUE(person("Anna Smith-Jones", "Anna Smith Jones"));
  EXPECT_TRUE(person("Anna Smith-Jones", "SMITHJONES, Anna"));
  EXPECT_TRUE(person("Anna Smith-Jones", "Anna Jones"));
  EXPECT_TRUE(person("Anna Smith-Jones", "SMITH, Anna"));
  EXPECT_FALSE(person("Anna Smith-Jones", "Beth Jones"));
  EXPECT_FALSE(person("Anna Smith-Jones", "A Jones"));  // one barrel needs the full forename
  EXPECT_TRUE(same_name("Anna Smith-Jones", "Anna Smith Jones"));
  EXPECT_FALSE(same_name("Anna Smith-Jones", "SMITH, Anna"));  // one barrel needs the date
}

TEST(SamePerson, InitialsAndMiddleNames) {
  EXPECT_TRUE(person("J Smith", "John Smith"));
  EXPECT_TRUE(person("SMITH, J.", "John Paul Smith"));
  EXPECT_TRUE(person("John Paul Smith", "John Smith"));
  EXPECT_TRUE(person("James Robert Hartley", "Robert Hartley"));
  EXPECT_FALSE(person("K Smith", "John Smith"));
  EXPECT_FALSE(same_name("J Smith", "John Smith"));  // an initial needs the date
  EXPECT_TRUE(same_name("John Paul Smith", "SMITH, John"));
}

TEST(SamePerson, AnyAliasMayAgree) {
  EXPECT_TRUE(person("Shaun Brien | Sean O'Brien", "OBRIEN, Sean"));
  EXPECT_TRUE(person("Kasia Nowak; Katarzyna Nowak", "Katarzyna NOWAK"));
  EXPECT_TRUE(person("Jo Bloggs", "Joanne Lee | Jo Bloggs"));
  EXPECT_FALSE(person("Shaun Brien | Sean O'Brien", "Sean Byrne"));
}

TEST(SamePerson, DatesInAnyFormatButEqual) {
  EXPECT_TRUE(same_person("John Smith", "07/03/1985", "SMITH, John", "1985-03-07"));
  EXPECT_TRUE(same_person("John Smith", "7 Mar 1985", "SMITH, John", "19850307"));
  EXPECT_TRUE(same_person("John Smith", "07.03.1985", "SMITH, John", "March 7, 1985"));
  EXPECT_FALSE(same_person("John Smith", "07/03/1985", "SMITH, John", "03/07/1985"));
  EXPECT_FALSE(same_person("John Smith", "1985-03-07", "John Smith", "1986-03-07"));
  EXPECT_FALSE(same_person("John Smith", "", "John Smith", ""));
  EXPECT_FALSE(same_person("John Smith", "07/03/85", "John Smith", "07/03/85"));
}

TEST(SamePerson, NearMissesDoNotAgree) {
  EXPECT_FALSE(person("Ann Smith", "Ian Smith"));
  EXPECT_FALSE(person("Jon Smith", "Joan Smith"));  // twins share a date of birth
  EXPECT_FALSE(person("Daniel Hartley", "Danielle Hartley"));
  EXPECT_FALSE(person("John Smith", "John Smithson"));
  EXPECT_FALSE(person("John Smith", "Jane Smith"));
  EXPECT_FALSE(person("Smith", "John Smith"));  // a surname alone names no one
  EXPECT_FALSE(person("", ""));
}

TEST(SameName, NamesakesAgreeOnlyAsNames) {
  EXPECT_TRUE(same_name("John Smith", "SMITH, JOHN"));
  EXPECT_TRUE(same_name("Muhammad Khan", "Mohammed KHAN"));
  EXPECT_FALSE(same_person("John Smith", "1985-03-07", "John Smith", "1990-11-02"));
  EXPECT_FALSE(same_name("John Smith", "John Jones"));
}
