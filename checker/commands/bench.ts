export async function run(): Promise<number> {
  console.log('not yet');
  return 1;
}
