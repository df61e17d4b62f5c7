import { tokenize, tokenizeKeepSpace } from '../tokenize.ts';
for (const t of ["The cat didn't sit, on the mat!", "l’homme — qu'il  est 3.14 ok?", '我爱你。你好', 'café naïve 👍🏽 e\u0301', "rock'n'roll 'quoted' don't"]) {
  console.log(JSON.stringify(tokenize(t, 'words')), JSON.stringify(tokenize(t, 'chars')), JSON.stringify(tokenizeKeepSpace(t)));
}
