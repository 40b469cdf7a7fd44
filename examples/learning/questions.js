// The question bank: per level, geography questions (choose one of four) and arithmetic
// questions (type the number). The quiz alternates the two kinds and takes the next unused
// question of the level it has chosen. `answer` is the index of the right choice, or the number.

export const QUIZ_LENGTH = 8

export const QUESTIONS = {
  easy: {
    choice: [
      { id: 'e-g1', text: 'What is the capital of France?', choices: ['Lyon', 'Paris', 'Marseille', 'Nice'], answer: 1, hint: 'It is home to the Eiffel Tower.' },
      { id: 'e-g2', text: 'Which is the largest ocean?', choices: ['Atlantic', 'Indian', 'Pacific', 'Arctic'], answer: 2, hint: 'It lies between Asia and the Americas.' },
      { id: 'e-g3', text: 'On which continent is Egypt?', choices: ['Asia', 'Africa', 'Europe', 'South America'], answer: 1, hint: 'The Nile flows north through it into the Mediterranean.' },
      { id: 'e-g4', text: 'What is the capital of Japan?', choices: ['Kyoto', 'Osaka', 'Seoul', 'Tokyo'], answer: 3, hint: 'It is the largest city in the world by population.' },
    ],
    number: [
      { id: 'e-a1', text: '7 + 8 = ?', answer: 15, hint: '7 + 3 makes 10. Then add the 5 that is left.' },
      { id: 'e-a2', text: '12 − 5 = ?', answer: 7, hint: 'Count up from 5 to 12.' },
      { id: 'e-a3', text: '6 × 3 = ?', answer: 18, hint: 'Three sixes: 6, 12, …' },
      { id: 'e-a4', text: '20 ÷ 4 = ?', answer: 5, hint: 'How many fours make 20?' },
    ],
  },
  normal: {
    choice: [
      { id: 'n-g1', text: 'What is the capital of Australia?', choices: ['Sydney', 'Melbourne', 'Canberra', 'Perth'], answer: 2, hint: 'It was built as a compromise between the two largest cities.' },
      { id: 'n-g2', text: 'Which is the longest river in South America?', choices: ['Paraná', 'Amazon', 'Orinoco', 'Magdalena'], answer: 1, hint: 'It carries more water than any other river on Earth.' },
      { id: 'n-g3', text: 'What is the capital of Canada?', choices: ['Toronto', 'Montreal', 'Vancouver', 'Ottawa'], answer: 3, hint: 'It sits on the border between Ontario and Quebec.' },
      { id: 'n-g4', text: 'What is the capital of New Zealand?', choices: ['Wellington', 'Auckland', 'Christchurch', 'Hamilton'], answer: 0, hint: 'It lies at the southern tip of the North Island.' },
    ],
    number: [
      { id: 'n-a1', text: '14 × 6 = ?', answer: 84, hint: '10 × 6 is 60, and 4 × 6 is 24.' },
      { id: 'n-a2', text: '156 − 79 = ?', answer: 77, hint: 'Take away 80, then add 1 back.' },
      { id: 'n-a3', text: '144 ÷ 12 = ?', answer: 12, hint: 'What times itself makes 144?' },
      { id: 'n-a4', text: '25 × 16 = ?', answer: 400, hint: 'Four 25s make 100.' },
    ],
  },
  hard: {
    choice: [
      { id: 'h-g1', text: 'What is the capital of Kazakhstan?', choices: ['Almaty', 'Astana', 'Bishkek', 'Tashkent'], answer: 1, hint: 'It replaced the older, larger capital in 1997.' },
      { id: 'h-g2', text: 'Into which sea does the Danube flow?', choices: ['Adriatic Sea', 'Baltic Sea', 'Caspian Sea', 'Black Sea'], answer: 3, hint: 'The sea shares its name with a colour.' },
      { id: 'h-g3', text: 'Lake Titicaca lies on the border of Peru and which country?', choices: ['Chile', 'Bolivia', 'Ecuador', 'Argentina'], answer: 1, hint: 'A landlocked country whose seat of government is La Paz.' },
      { id: 'h-g4', text: 'Which country spans the most time zones, counting overseas territories?', choices: ['Russia', 'United States', 'France', 'United Kingdom'], answer: 2, hint: 'Its territories reach from the Pacific to the Indian Ocean.' },
    ],
    number: [
      { id: 'h-a1', text: '37 × 23 = ?', answer: 851, hint: '37 × 20 is 740. Add 37 × 3.' },
      { id: 'h-a2', text: '17² = ?', answer: 289, hint: '17 × 10 is 170, and 17 × 7 is 119.' },
      { id: 'h-a3', text: '1024 ÷ 32 = ?', answer: 32, hint: 'What times itself makes 1024?' },
      { id: 'h-a4', text: '15% of 240 = ?', answer: 36, hint: '10% is 24, and 5% is half of that.' },
    ],
  },
}
